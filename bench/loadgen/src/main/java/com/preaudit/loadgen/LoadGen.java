package com.preaudit.loadgen;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steps a constant request rate up against the audit endpoint and the no-op endpoint that parses the
 * same payload (PRODUCT.md §8), and reports per step the offered and achieved rate, latency
 * percentiles measured from each request's due time, errors and the CPU split; then, per endpoint,
 * the highest rate that kept p99 ≤ the SLO with no errors, and the audit/no-op ratio.
 *
 * <pre>java -jar loadgen.jar --url http://127.0.0.1:18080 [--endpoints noop,audit] [--rates 250,500,…]
 *   [--step-seconds 10] [--warmup-seconds 15] [--warmup-rate 1000] [--connections 64] [--slo-ms 20]
 *   [--knowledge ../shared/knowledge/nhsa-2025] [--charges 40] [--out docs/bench-results/http-…]
 *   [--watch service=PID] [--watch-tree postgres=PID] [--all-steps] [--label text] [--mix worst|hospital] [--token pa_…]</pre>
 * {@code --mix}: {@code worst} (default) flags 2–4 of the 20 lines of every order; {@code hospital} (PRODUCT.md §8) leaves
 * 90 % of the orders clean and gives the rest 1–2 flagged lines.
 */
public final class LoadGen {

    static final Map<String, String> PATHS = Map.of("audit", "/api/v1/audits", "noop", "/api/v1/bench/noop-audits");

    record Step(String endpoint, double offered, double achieved, long sent, long ok, long errors, Map<String, Long> errorKinds,
                double p50, double p90, double p99, double p999, double max, double mean, Map<String, Double> cpu,
                long backlog, double drainSeconds) {
        boolean meets(double sloMs) {
            return errors == 0 && ok > 0 && p99 <= sloMs;
        }
    }

    private final Map<String, List<String>> opts = new LinkedHashMap<>();

    /** The bearer token every request carries (PRODUCT.md §10): --token, else PREAUDIT_TOKEN; none when unset. */
    private static String TOKEN = System.getenv("PREAUDIT_TOKEN");

    private static String[] auth() {
        return TOKEN == null ? new String[0] : new String[] {"Authorization", "Bearer " + TOKEN};
    }

    private LoadGen(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            String value = "true";
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            opts.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private String opt(String key, String fallback) {
        List<String> v = opts.get(key);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    public static void main(String[] args) throws Exception {
        new LoadGen(args).run();
    }

    private void run() throws Exception {
        URI base = URI.create(opt("url", "http://127.0.0.1:8080"));
        TOKEN = opt("token", TOKEN);
        List<String> endpoints = List.of(opt("endpoints", "noop,audit").split(","));
        List<Double> rates = new ArrayList<>();
        for (String r : opt("rates", "250,500,1000,1500,2000,3000,4000,5000,6000,8000").split(",")) {
            rates.add(Double.parseDouble(r.trim()));
        }
        double stepSeconds = Double.parseDouble(opt("step-seconds", "10"));
        double warmupSeconds = Double.parseDouble(opt("warmup-seconds", "15"));
        double warmupRate = Double.parseDouble(opt("warmup-rate", "1000"));
        int connections = Integer.parseInt(opt("connections", "64"));
        double sloMs = Double.parseDouble(opt("slo-ms", "20"));
        boolean allSteps = Boolean.parseBoolean(opt("all-steps", "false"));
        Path knowledge = Path.of(opt("knowledge", "../shared/knowledge/nhsa-2025"));
        int chargesPerPatient = Integer.parseInt(opt("charges", "40"));
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String out = opt("out", null);

        CpuWatch cpu = new CpuWatch();
        for (String w : opts.getOrDefault("watch", List.of())) {
            String[] kv = w.split("=");
            cpu.watch(kv[0], Long.parseLong(kv[1]), false);
        }
        for (String w : opts.getOrDefault("watch-tree", List.of())) {
            String[] kv = w.split("=");
            cpu.watch(kv[0], Long.parseLong(kv[1]), true);
        }

        Orders orders = new Orders(knowledge);
        StringBuilder report = new StringBuilder();
        String setup = setup(base, orders, chargesPerPatient, runId, opt("mix", "worst"));
        log(report, setup);
        log(report, String.format(Locale.ROOT, "target %s, %d connections, steps of %.0f s after %.0f s warm-up at %.0f/s, SLO p99 ≤ %.0f ms, cores: %d",
                base, connections, stepSeconds, warmupSeconds, warmupRate, sloMs, Runtime.getRuntime().availableProcessors()));

        Map<String, List<Step>> results = new LinkedHashMap<>();
        for (String endpoint : endpoints) {
            String path = PATHS.get(endpoint);
            if (path == null) {
                throw new IllegalArgumentException("unknown endpoint " + endpoint + " (audit, noop)");
            }
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                    + (TOKEN == null ? "" : "Authorization: Bearer " + TOKEN + "\r\n")
                    + "Content-Length: ").getBytes(StandardCharsets.US_ASCII);
            List<Step> steps = new ArrayList<>();
            results.put(endpoint, steps);
            try (HttpEngine engine = new HttpEngine(base.getHost(), base.getPort(), connections)) {
                if (warmupSeconds > 0) {
                    Step w = step(engine, cpu, orders, head, endpoint, runId + "-" + endpoint + "-w", warmupRate, warmupSeconds);
                    log(report, String.format(Locale.ROOT, "%s warm-up: %.0f/s offered, %.0f/s achieved, p99 %.2f ms, errors %d; records written after it in %.1f s",
                            endpoint, w.offered(), w.achieved(), w.p99(), w.errors(), waitForWriter(base)));
                }
                log(report, "");
                log(report, "endpoint " + endpoint + " (POST " + path + ")");
                log(report, header());
                int s = 0;
                for (double rate : rates) {
                    Thread.sleep(500);
                    Step st = step(engine, cpu, orders, head, endpoint, runId + "-" + endpoint + "-" + (s++), rate, stepSeconds);
                    long backlog = pendingRecords(base);
                    double drained = waitForWriter(base);
                    st = new Step(st.endpoint(), st.offered(), st.achieved(), st.sent(), st.ok(), st.errors(), st.errorKinds(), st.p50(),
                            st.p90(), st.p99(), st.p999(), st.max(), st.mean(), st.cpu(), backlog, drained);
                    steps.add(st);
                    log(report, row(st));
                    if (!allSteps && !st.meets(sloMs) && (st.achieved() < 0.9 * st.offered() || st.p99() > 50 * sloMs)) {
                        log(report, "  (saturated: higher rates skipped)");
                        break;
                    }
                }
            }
        }

        log(report, "");
        log(report, "summary (highest offered rate with p99 ≤ " + fmt(sloMs) + " ms and no errors):");
        Map<String, Double> best = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            double b = 0;
            for (Step st : e.getValue()) {
                if (st.meets(sloMs)) {
                    b = Math.max(b, st.offered());
                }
            }
            best.put(e.getKey(), b);
            log(report, String.format(Locale.ROOT, "  %-6s %6.0f /s", e.getKey(), b));
        }
        Double ratio = null;
        Boolean noopFloorReached = null;
        if (best.containsKey("audit") && best.containsKey("noop") && best.get("noop") > 0) {
            ratio = best.get("audit") / best.get("noop");
            // when the no-op met its highest step, its floor lies above it and the ratio is only an upper bound
            List<Step> noop = results.get("noop");
            noopFloorReached = noop.stream().anyMatch(st -> !st.meets(sloMs));
            if (noopFloorReached) {
                log(report, String.format(Locale.ROOT, "  audit / noop = %.2f", ratio));
            } else {
                log(report, String.format(Locale.ROOT, "  audit / noop <= %.2f (the no-op met every step up to %.0f/s; "
                        + "its floor is higher, so this is an upper bound: step it higher for the ratio)", ratio, best.get("noop")));
            }
        }
        if (out != null) {
            Path txt = Path.of(out + ".txt");
            if (txt.getParent() != null) {
                Files.createDirectories(txt.getParent());
            }
            Files.writeString(txt, report.toString(), StandardCharsets.UTF_8);
            Files.writeString(Path.of(out + ".json"), json(base, connections, stepSeconds, warmupSeconds, sloMs, setup, results, best, ratio, noopFloorReached),
                    StandardCharsets.UTF_8);
            System.out.println("written: " + txt + ", " + out + ".json");
        }
    }

    /** Posts the patients' stored history (charges) and audits a few orders once to describe them. */
    private static String setup(URI base, Orders orders, int chargesPerPatient, String runId, String mix) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int charged = 0;
        if (chargesPerPatient > 0) {
            for (Orders.Patient p : orders.patients) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/charges"))
                        .header("Content-Type", "application/json").headers(auth())
                        .POST(HttpRequest.BodyPublishers.ofString(orders.charges(p, chargesPerPatient))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("charges: " + r.statusCode() + " " + r.body());
                }
                charged += chargesPerPatient;
            }
        }
        // Which items pass for each patient: audit a few orders of random national items and keep
        // the lines no finding names. The run's orders mix 2–4 deliberate hits with such lines.
        Pattern lineIds = Pattern.compile("\"lineIds\"\\s*:\\s*\\[(.*?)\\]");
        Pattern quoted = Pattern.compile("\"([^\"]+)\"");
        Map<String, List<Orders.Item>> clean = new LinkedHashMap<>();
        int probed = 0;
        int flagged = 0;
        int probeOrders = mix.equals("hospital") ? 30 : 6;
        for (Orders.Patient p : orders.patients) {
            List<Orders.Item> ok = new ArrayList<>();
            // most national items carry a restriction that flags them for some patient: the hospital mix needs a larger
            // pool of items that pass, so it probes more orders
            for (int k = 0; k < probeOrders; k++) {
                int variant = 1000 + k;
                List<Orders.Item> cand = orders.candidates(p, Orders.LINES);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(PATHS.get("audit")))
                        .header("Content-Type", "application/json").headers(auth())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body(orders.template(p, variant, cand), runId + "-clean-" + p.id() + "-" + k)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("probe audit: " + r.statusCode() + " " + r.body());
                }
                java.util.Set<String> hit = new java.util.HashSet<>();
                Matcher m = lineIds.matcher(r.body());
                while (m.find()) {
                    Matcher q = quoted.matcher(m.group(1));
                    while (q.find()) {
                        hit.add(q.group(1));
                    }
                }
                for (int i = 0; i < cand.size(); i++) {
                    probed++;
                    if (hit.contains(Orders.lineId(p, variant, i))) {
                        flagged++;
                    } else {
                        ok.add(cand.get(i));
                    }
                }
            }
            clean.put(p.id(), ok);
        }
        orders.build(clean, 20, mix);
        String cleanCheck = "";
        if (mix.equals("hospital")) {
            // A line that passed alone can still be flagged beside others (a second surgery item, a duplicate, a share of
            // the order over a quota, …). The hospital mix promises clean orders, so an order without deliberate hits is
            // kept only when an audit of it comes back without findings; orders are built again until there are enough.
            List<Orders.Template> withHits = new ArrayList<>();
            List<Orders.Template> passed = new ArrayList<>();
            int needed = 0;
            int tried = 0;
            for (Orders.Template t : orders.templates) {
                if (t.hits() > 0) {
                    withHits.add(t);
                } else {
                    needed++;
                }
            }
            for (int round = 0; round < 12 && passed.size() < needed; round++) {
                if (round > 0) {
                    orders.build(clean, 20, mix);
                }
                for (Orders.Template t : orders.templates) {
                    if (t.hits() > 0 || passed.size() >= needed) {
                        continue;
                    }
                    tried++;
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(PATHS.get("audit")))
                            .header("Content-Type", "application/json").headers(auth())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body(t, runId + "-clean-check-" + tried))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("clean check audit: " + r.statusCode() + " " + r.body());
                    }
                    if (!lineIds.matcher(r.body()).find()) {
                        passed.add(t);
                    }
                }
            }
            if (passed.isEmpty()) {
                throw new IllegalStateException("hospital mix: no order without findings found in " + tried + " tries");
            }
            orders.templates.clear();
            for (int i = 0, h = 0, c = 0; i < withHits.size() + needed; i++) {
                orders.templates.add(i % 10 == 0 && h < withHits.size() ? withHits.get(h++) : passed.get(c++ % passed.size()));
            }
            cleanCheck = String.format(Locale.ROOT, "; clean orders: %d distinct of %d tried came back without findings (%d needed)",
                    passed.size(), tried, needed);
        }
        Pattern decision = Pattern.compile("\"decision\"\\s*:\\s*\"(\\w+)\"");
        Map<String, Integer> decisions = new TreeMap<>();
        Pattern ruleCode = Pattern.compile("\"ruleCode\"\\s*:\\s*\"([^\"]+)\"");
        Map<String, Integer> rules = new TreeMap<>();
        int findings = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        int n = Math.min(40, orders.templates.size());
        for (int i = 0; i < n; i++) {
            // spread as the steps pick them (index * 7919), so the probe sees the mix's share of flagged orders
            Orders.Template t = orders.templates.get((int) ((i * 7919L) % orders.templates.size()));
            byte[] body = body(t, runId + "-probe-" + i);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(PATHS.get("audit")))
                    .header("Content-Type", "application/json").headers(auth()).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("probe audit: " + r.statusCode() + " " + r.body());
            }
            Matcher m = decision.matcher(r.body());
            decisions.merge(m.find() ? m.group(1) : "?", 1, Integer::sum);
            Matcher rc = ruleCode.matcher(r.body());
            while (rc.find()) {
                rules.merge(rc.group(1), 1, Integer::sum);
            }
            int f = count(r.body(), "\"resultType\"");
            findings += f;
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        int bytes = 0;
        for (Orders.Template t : orders.templates) {
            bytes += t.head().length + t.tail().length + 30;
        }
        return String.format(Locale.ROOT,
                "orders (" + mix + " mix): %d prepared bodies, %d patients, %d lines each, %d national items to draw from, ~%d bytes per body; "
                        + "stored history: %d charge lines posted; %d random national items probed (%d orders per patient), %d of them flagged; probe of %d audits: findings per audit avg %.1f (min %d, max %d), decisions %s; findings by rule %s%s",
                orders.templates.size(), orders.patients.size(), Orders.LINES, orders.items.size(), bytes / orders.templates.size(),
                charged, probed, probeOrders, flagged, n, findings / (double) n, min, max, decisions, rules, cleanCheck);
    }

    private static final HttpClient METRICS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern PENDING = Pattern.compile("(?m)^preaudit_audit_records_pending(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)");

    /** Audit records acknowledged but not yet in PostgreSQL (the service's gauge); -1 when unknown. */
    static long pendingRecords(URI base) {
        try {
            HttpResponse<String> r = METRICS.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = PENDING.matcher(r.body());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    /** Waits (≤ 120 s) until the record writer has caught up, so that a step does not pay for the last one; seconds waited. */
    static double waitForWriter(URI base) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 120_000_000_000L) {
            long p = pendingRecords(base);
            if (p <= 0) {
                break;
            }
            Thread.sleep(200);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int count(String s, String needle) {
        int c = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            c++;
        }
        return c;
    }

    private static byte[] body(Orders.Template t, String requestId) {
        byte[] id = requestId.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[t.head().length + id.length + t.tail().length];
        System.arraycopy(t.head(), 0, b, 0, t.head().length);
        System.arraycopy(id, 0, b, t.head().length, id.length);
        System.arraycopy(t.tail(), 0, b, t.head().length + id.length, t.tail().length);
        return b;
    }

    private static Step step(HttpEngine engine, CpuWatch cpu, Orders orders, byte[] head, String endpoint, String idPrefix,
                             double rate, double seconds) throws IOException {
        long total = Math.max(1, Math.round(rate * seconds));
        Histogram h = new Histogram(3_600_000_000L, 3); // microseconds, up to an hour
        long[] ok = {0};
        long[] lastDone = {0};
        Map<String, Long> errorKinds = new TreeMap<>();
        int nTemplates = orders.templates.size();
        byte[] prefix = (idPrefix + "-").getBytes(StandardCharsets.US_ASCII);
        HttpEngine.RequestSource source = index -> {
            Orders.Template t = orders.templates.get((int) ((index * 7919L) % nTemplates));
            byte[] num = Long.toString(index).getBytes(StandardCharsets.US_ASCII);
            int bodyLength = t.head().length + prefix.length + num.length + t.tail().length;
            byte[] len = Integer.toString(bodyLength).getBytes(StandardCharsets.US_ASCII);
            ByteBuffer b = ByteBuffer.allocate(head.length + len.length + 4 + bodyLength);
            b.put(head).put(len).put((byte) '\r').put((byte) '\n').put((byte) '\r').put((byte) '\n');
            b.put(t.head()).put(prefix).put(num).put(t.tail());
            return b.flip();
        };
        // --stalls: per 100 ms window of due time, how many answers were later than the SLO and the latest of them, so
        // a p99 over the target can be told apart as a few stalls (GC, checkpoint, a third process) or a steady queue
        int windows = (int) Math.ceil(seconds * 10) + 1;
        int[] lateCount = STALLS ? new int[windows] : null;
        long[] lateMax = STALLS ? new long[windows] : null;
        long[] stepStart = {0};
        HttpEngine.Sink sink = new HttpEngine.Sink() {
            @Override
            public void completed(long intended, long done, int status) {
                lastDone[0] = Math.max(lastDone[0], done);
                if (status == 200) {
                    ok[0]++;
                    long micros = Math.max(0, (done - intended) / 1000);
                    h.recordValue(micros);
                    if (STALLS && micros > SLO_MICROS) {
                        int w = (int) Math.min(windows - 1, Math.max(0, (intended - stepStart[0]) / 100_000_000L));
                        lateCount[w]++;
                        lateMax[w] = Math.max(lateMax[w], micros);
                    }
                } else {
                    errorKinds.merge("HTTP " + status, 1L, Long::sum);
                }
            }

            @Override
            public void failed(long intended, long done, String why) {
                lastDone[0] = Math.max(lastDone[0], done);
                errorKinds.merge(why, 1L, Long::sum);
            }
        };
        Map<String, Long> before = cpu.sample();
        long start = System.nanoTime() + 2_000_000L;
        long wallStartMillis = System.currentTimeMillis() + 2;
        stepStart[0] = start;
        engine.run(start, rate, total, 10_000_000_000L, source, sink);
        long end = System.nanoTime();
        Map<String, Long> after = cpu.sample();
        if (STALLS) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "stalls %s %.0f/s (window start UTC, answers later than %d ms, latest ms):",
                    endpoint, rate, SLO_MICROS / 1000));
            DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.S").withZone(ZoneOffset.UTC);
            for (int w = 0; w < windows; w++) {
                if (lateCount[w] > 0) {
                    sb.append(' ').append(f.format(Instant.ofEpochMilli(wallStartMillis + w * 100L))).append('/').append(lateCount[w])
                            .append('/').append(lateMax[w] / 1000);
                }
            }
            System.out.println(sb);
        }
        double elapsed = (Math.max(lastDone[0], start + 1) - start) / 1e9;
        double achieved = ok[0] / Math.max(elapsed, seconds * 0.999);
        long errors = errorKinds.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> cores = cpu.cores(before, after, (end - start) / 1e9);
        return new Step(endpoint, rate, achieved, total, ok[0], errors, errorKinds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount() == 0 ? 0 : h.getMean() / 1000, cores, -1, 0);
    }

    private static final boolean STALLS = Boolean.getBoolean("loadgen.stalls");
    private static final long SLO_MICROS = 20_000;

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String header() {
        return String.format(Locale.ROOT, "%8s %9s %8s %8s %8s %9s %9s %8s %9s  %s", "offered/s", "achieved/s", "p50 ms", "p90 ms",
                "p99 ms", "p99.9 ms", "max ms", "errors", "backlog", "CPU (cores)");
    }

    private static String row(Step s) {
        StringBuilder c = new StringBuilder();
        for (var e : s.cpu().entrySet()) {
            c.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.2f", e.getValue())).append("  ");
        }
        String errs = s.errors() == 0 ? "0" : s.errors() + " " + s.errorKinds();
        String backlog = s.backlog() < 0 ? "-" : s.backlog() + (s.drainSeconds() >= 1 ? String.format(Locale.ROOT, "/%.0fs", s.drainSeconds()) : "");
        return String.format(Locale.ROOT, "%9.0f %10.0f %8.2f %8.2f %8.2f %9.2f %9.2f %8s %9s  %s", s.offered(), s.achieved(), s.p50(), s.p90(),
                s.p99(), s.p999(), s.max(), errs, backlog, c.toString().trim());
    }

    private static void log(StringBuilder report, String line) {
        System.out.println(line);
        System.out.flush();
        report.append(line).append('\n');
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String json(URI base, int connections, double stepSeconds, double warmupSeconds, double sloMs, String setup,
                               Map<String, List<Step>> results, Map<String, Double> best, Double ratio,
                               Boolean noopFloorReached) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"target\": \"").append(base).append("\",\n");
        b.append("  \"time\": \"").append(Instant.now()).append("\",\n");
        b.append("  \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        b.append("  \"connections\": ").append(connections).append(",\n");
        b.append("  \"stepSeconds\": ").append(stepSeconds).append(",\n");
        b.append("  \"warmupSeconds\": ").append(warmupSeconds).append(",\n");
        b.append("  \"sloP99Ms\": ").append(sloMs).append(",\n");
        b.append("  \"setup\": \"").append(Orders.json(setup)).append("\",\n");
        b.append("  \"bestRate\": {");
        String sep = "";
        for (var e : best.entrySet()) {
            b.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        b.append("},\n  \"auditToNoopRatio\": ").append(ratio == null ? "null" : String.format(Locale.ROOT, "%.3f", ratio)).append(",\n");
        b.append("  \"noopFloorReached\": ").append(noopFloorReached).append(",\n");
        b.append("  \"steps\": {\n");
        String esep = "";
        for (var e : results.entrySet()) {
            b.append(esep).append("    \"").append(e.getKey()).append("\": [\n");
            String ssep = "";
            for (Step s : e.getValue()) {
                b.append(ssep).append(String.format(Locale.ROOT,
                        "      {\"offered\": %.0f, \"achieved\": %.1f, \"sent\": %d, \"ok\": %d, \"errors\": %d, \"p50Ms\": %.3f, \"p90Ms\": %.3f, "
                                + "\"p99Ms\": %.3f, \"p999Ms\": %.3f, \"maxMs\": %.3f, \"meanMs\": %.3f, \"recordsPendingAtEnd\": %d, \"writerDrainSeconds\": %.1f, "
                                + "\"errorKinds\": %s, \"cpuCores\": %s}",
                        s.offered(), s.achieved(), s.sent(), s.ok(), s.errors(), s.p50(), s.p90(), s.p99(), s.p999(), s.max(), s.mean(),
                        s.backlog(), s.drainSeconds(), map(s.errorKinds()), map(s.cpu())));
                ssep = ",\n";
            }
            b.append("\n    ]");
            esep = ",\n";
        }
        return b.append("\n  }\n}\n").toString();
    }

    private static String map(Map<String, ? extends Number> m) {
        StringBuilder b = new StringBuilder("{");
        String sep = "";
        for (var e : m.entrySet()) {
            b.append(sep).append('"').append(Orders.json(e.getKey())).append("\": ")
                    .append(e.getValue() instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : e.getValue());
            sep = ", ";
        }
        return b.append('}').toString();
    }
}
