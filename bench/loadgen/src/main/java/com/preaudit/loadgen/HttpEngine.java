package com.preaudit.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An open-model, constant-rate HTTP/1.1 client on one thread: request i is due at
 * {@code start + i × interval} whether or not earlier answers have come back; it goes out on an idle
 * keep-alive connection of a fixed pool (or waits in a queue for one), and its latency is measured
 * from the time it was due, so a slow server cannot hide queueing (no coordinated omission). One
 * selector, no thread per connection: the generator must stay cheap beside the service.
 */
final class HttpEngine implements AutoCloseable {

    /** What a step hands back per finished request. */
    interface Sink {
        void completed(long intendedNanos, long doneNanos, int status);

        void failed(long intendedNanos, long doneNanos, String why);
    }

    /** Supplies the bytes of request i. */
    interface RequestSource {
        ByteBuffer request(long index);
    }

    private final InetSocketAddress address;
    private final int poolSize;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();

    private final class Conn {
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long intended = -1; // -1: idle

        void open() throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            channel.connect(address);
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
            in.clear();
            intended = -1;
        }

        void close() {
            try {
                if (key != null) {
                    key.cancel();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    HttpEngine(String host, int port, int poolSize) throws IOException {
        this.address = new InetSocketAddress(host, port);
        this.poolSize = poolSize;
        this.selector = Selector.open();
        for (int i = 0; i < poolSize; i++) {
            Conn c = new Conn();
            c.open();
            conns.add(c);
            idle.add(c);
        }
    }

    int poolSize() {
        return poolSize;
    }

    /**
     * Sends {@code total} requests at {@code ratePerSecond}, starting at {@code startNanos}, and waits
     * up to {@code drainNanos} after the last one is due for the answers. Requests still unanswered
     * then are reported failed ("timeout"); their connections are reopened.
     */
    void run(long startNanos, double ratePerSecond, long total, long drainNanos, RequestSource source, Sink sink) throws IOException {
        double interval = 1e9 / ratePerSecond;
        ArrayDeque<Long> waiting = new ArrayDeque<>(); // due, not yet sent: (index << 0) kept as intended time
        ArrayDeque<Long> waitingIndex = new ArrayDeque<>();
        long next = 0;
        long inFlight = 0;
        long lastDue = startNanos + (long) ((total - 1) * interval);
        long deadline = lastDue + drainNanos;
        while (true) {
            long now = System.nanoTime();
            while (next < total) {
                long due = startNanos + (long) (next * interval);
                if (due > now) {
                    break;
                }
                waiting.add(due);
                waitingIndex.add(next);
                next++;
            }
            while (!waiting.isEmpty() && !idle.isEmpty()) {
                Conn c = idle.poll();
                long due = waiting.poll();
                long index = waitingIndex.poll();
                c.intended = due;
                c.out = source.request(index);
                inFlight++;
                if (!write(c)) {
                    inFlight--;
                    sink.failed(due, System.nanoTime(), "write");
                    reopen(c);
                }
            }
            if (next >= total && waiting.isEmpty() && inFlight == 0) {
                return;
            }
            if (now > deadline) {
                long t = System.nanoTime();
                for (Conn c : conns) {
                    if (c.intended >= 0) {
                        sink.failed(c.intended, t, "timeout");
                        reopen(c);
                    }
                }
                while (!waiting.isEmpty()) {
                    sink.failed(waiting.poll(), t, "not sent");
                    waitingIndex.poll();
                }
                return;
            }
            long wait;
            if (next < total && !idle.isEmpty()) {
                long due = startNanos + (long) (next * interval);
                wait = Math.max(0, due - System.nanoTime());
            } else {
                wait = 5_000_000L;
            }
            long ms = wait / 1_000_000L;
            if (ms == 0 && wait > 0) {
                ms = 1; // the selector has millisecond granularity: a request is at most ~1 ms late, and that is measured
            }
            if (ms == 0) {
                selector.selectNow();
            } else {
                selector.select(ms);
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey k = keys.next();
                keys.remove();
                Conn c = (Conn) k.attachment();
                if (!k.isValid()) {
                    continue;
                }
                if (k.isWritable() && c.out != null && c.out.hasRemaining()) {
                    if (!write(c)) {
                        inFlight--;
                        sink.failed(c.intended, System.nanoTime(), "write");
                        reopen(c);
                        continue;
                    }
                }
                if (k.isReadable()) {
                    int status = read(c);
                    if (status == -2) { // closed or broken
                        if (c.intended >= 0) {
                            inFlight--;
                            sink.failed(c.intended, System.nanoTime(), "closed");
                        }
                        reopen(c);
                    } else if (status > 0) {
                        long done = System.nanoTime();
                        long intended = c.intended;
                        c.intended = -1;
                        c.out = null;
                        inFlight--;
                        idle.add(c);
                        sink.completed(intended, done, status);
                    }
                }
            }
        }
    }

    private boolean write(Conn c) {
        try {
            c.channel.write(c.out);
            c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void reopen(Conn c) {
        c.close();
        idle.remove(c);
        try {
            c.open();
            c.out = null;
            idle.add(c);
        } catch (IOException e) {
            // the connection stays out of the pool
        }
    }

    /** Reads what is there; answers the status of a complete response, 0 when incomplete, -2 when closed. */
    private int read(Conn c) {
        try {
            int n = c.channel.read(c.in);
            if (n < 0) {
                return -2;
            }
            if (!c.in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(c.in.capacity() * 2);
                c.in.flip();
                bigger.put(c.in);
                c.in = bigger;
            }
        } catch (IOException e) {
            return -2;
        }
        int status = parse(c.in);
        if (status > 0) {
            c.in.clear(); // one request at a time per connection: nothing follows the response
        }
        return status;
    }

    /** Finds one complete HTTP/1.1 response in {@code buf} (position = bytes read); its status, or 0. */
    static int parse(ByteBuffer buf) {
        byte[] a = buf.array();
        int len = buf.position();
        int headerEnd = -1;
        for (int i = 3; i < len; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                headerEnd = i + 1;
                break;
            }
        }
        if (headerEnd < 0) {
            return 0;
        }
        String headers = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase(java.util.Locale.ROOT);
        int cl = lower.indexOf("\ncontent-length:");
        if (cl >= 0) {
            int eol = lower.indexOf('\r', cl);
            int length = Integer.parseInt(lower.substring(cl + 16, eol).trim());
            return len >= headerEnd + length ? status : 0;
        }
        if (lower.contains("\ntransfer-encoding: chunked")) {
            int p = headerEnd;
            while (true) {
                int eol = -1;
                for (int i = p; i + 1 < len; i++) {
                    if (a[i] == '\r' && a[i + 1] == '\n') {
                        eol = i;
                        break;
                    }
                }
                if (eol < 0) {
                    return 0;
                }
                String sizeText = new String(a, p, eol - p, StandardCharsets.ISO_8859_1);
                int semi = sizeText.indexOf(';');
                int size = Integer.parseInt((semi >= 0 ? sizeText.substring(0, semi) : sizeText).trim(), 16);
                p = eol + 2 + size + 2;
                if (size == 0) {
                    return len >= p ? status : 0;
                }
                if (p > len) {
                    return 0;
                }
            }
        }
        return status == 204 || status == 304 ? status : 0;
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            c.close();
        }
        selector.close();
    }
}
