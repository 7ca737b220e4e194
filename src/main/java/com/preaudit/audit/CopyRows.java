package com.preaudit.audit;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's COPY text format, built into one reusable byte buffer: fields separated by
 * tabs, rows ended by newlines, {@code \N} for null, and backslash, newline, carriage return and
 * tab escaped. COPY is how the record writer stores audits: for the benchmark's records it costs
 * PostgreSQL a quarter less than a multi-row INSERT for the record rows and 60 % less for the finding
 * rows (no statement text to parse, no per-row parameters to bind on either side).
 * <p>
 * PostgreSQL text cannot hold U+0000; a NUL in a column value (an id a HIS sent as "\u0000") is
 * stored as U+FFFD, so one odd request can never stop the writer. The request and answer columns
 * are JSON text, where a NUL is always the six characters of its escape.
 * <p>
 * Not thread-safe: the writer thread owns one instance.
 */
final class CopyRows {

    private byte[] buf = new byte[1 << 16];
    private int size;
    private boolean rowStart = true;

    void reset() {
        size = 0;
        rowStart = true;
    }

    byte[] buffer() {
        return buf;
    }

    int size() {
        return size;
    }

    CopyRows text(String s) {
        separator();
        if (s == null) {
            nullValue();
        } else {
            escaped(noNul(s));
        }
        return this;
    }

    /** The value PostgreSQL text can hold: U+0000 becomes U+FFFD. */
    private static String noNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /**
     * UTF-8 bytes as they are (already valid: Jackson parsed them). A compact JSON document has few
     * bytes to escape, so the runs between them are copied in bulk: escaping byte by byte was 9 % of
     * the service's CPU samples at 1,000 audits/s (two ~8 KB documents per record).
     */
    CopyRows utf8(byte[] bytes) {
        separator();
        ensure(bytes.length * 2);
        int run = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\\' || b == '\n' || b == '\r' || b == '\t') {
                System.arraycopy(bytes, run, buf, size, i - run);
                size += i - run;
                escapedByte(b);
                run = i + 1;
            }
        }
        System.arraycopy(bytes, run, buf, size, bytes.length - run);
        size += bytes.length - run;
        return this;
    }

    CopyRows number(long n) {
        separator();
        ascii(Long.toString(n));
        return this;
    }

    CopyRows number(BigDecimal d) {
        separator();
        if (d == null) {
            nullValue();
        } else {
            ascii(d.toPlainString());
        }
        return this;
    }

    CopyRows bool(boolean b) {
        separator();
        ascii(b ? "t" : "f");
        return this;
    }

    /** A text[] value: the array literal {"a","b"} with its own quoting, then COPY's escaping on top. */
    CopyRows textArray(List<String> values) {
        StringBuilder literal = new StringBuilder(values.size() * 24 + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (i > 0) {
                literal.append(',');
            }
            if (v == null) {
                literal.append("NULL");
                continue;
            }
            literal.append('"');
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        return text(literal.append('}').toString());
    }

    void endRow() {
        ensure(1);
        buf[size++] = '\n';
        rowStart = true;
    }

    private void separator() {
        if (!rowStart) {
            ensure(1);
            buf[size++] = '\t';
        }
        rowStart = false;
    }

    private void nullValue() {
        ensure(2);
        buf[size++] = '\\';
        buf[size++] = 'N';
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    private void escaped(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length * 2);
        for (byte b : bytes) {
            escapedByte(b);
        }
    }

    // callers have ensured room for two bytes per input byte
    private void escapedByte(byte b) {
        switch (b) {
            case '\\' -> { buf[size++] = '\\'; buf[size++] = '\\'; }
            case '\n' -> { buf[size++] = '\\'; buf[size++] = 'n'; }
            case '\r' -> { buf[size++] = '\\'; buf[size++] = 'r'; }
            case '\t' -> { buf[size++] = '\\'; buf[size++] = 't'; }
            default -> buf[size++] = b;
        }
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
