package com.preaudit.platform;

import com.preaudit.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PRODUCT.md §8: audit records are written asynchronously in batches and are all present after a
 * graceful stop. The packaged service (the README's run command, embedded PostgreSQL) is stopped
 * with SIGTERM while audits are being answered and its writer holds records in memory; started
 * again on the same data directory, it must find every audit it acknowledged.
 *
 * <p>Runs in the integration-test phase, against target/quarkus-app/quarkus-run.jar.
 */
class GracefulStopIT {

    private static final Pattern AUDIT_ID = Pattern.compile("\"auditId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final String AUDIT = """
            {"stage": "PRE_ORDER", "patient": {"id": "P-STOP-%d", "gender": "M", "birthDate": "1951-08-27"},
             "lines": [{"id": "L1", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                        "itemType": "DRUG", "quantity": 1, "amount": 1153.00}]}""";

    /** The packaged service's first admin token, set through the environment as a container would (support.Node). */
    private static final String ADMIN_TOKEN = Node.ADMIN_TOKEN;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Node> started = new ArrayList<>();
    private Path dataDir;

    @Test
    void everyAcknowledgedAuditIsStoredAfterSigterm() throws Exception {
        dataDir = Files.createTempDirectory("preaudit-stop-it");
        int port = Node.freePort();
        // answered when queued, records wait up to 2 s in memory before their batch is written: the stop finds a backlog
        Process service = start(port, "-Dpreaudit.audit.ack=queued", "-Dpreaudit.audit.batch-wait=2s");
        URI base = URI.create("http://127.0.0.1:" + port);

        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        // SIGTERM once audits have run for 3 s and at least 150 are acknowledged (a busy machine answers fewer per
        // second; the stop must still find a backlog), or after 60 s whatever the count
        long sigtermAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long sigtermLatest = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean stopped = false;
        int sentAfterStop = 0;
        // audits, then SIGTERM (a graceful stop) while 50 more requests keep arriving
        for (int i = 0; sentAfterStop < 50; i++) {
            long now = System.nanoTime();
            if (!stopped && (now >= sigtermAt && acknowledged.size() >= 150 || now >= sigtermLatest)) {
                service.destroy();
                stopped = true;
            }
            if (stopped) {
                sentAfterStop++;
            }
            inFlight.acquire();
            HttpRequest post = HttpRequest.newBuilder(base.resolve("/api/v1/audits")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(AUDIT.formatted(i % 40))).build();
            calls.add(http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                inFlight.release();
                if (r != null && r.statusCode() == 200) {
                    Matcher m = AUDIT_ID.matcher(r.body());
                    if (m.find()) {
                        acknowledged.add(m.group(1));
                    }
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
        assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the service did not stop within 120 s of SIGTERM");
        assertTrue(acknowledged.size() > 100, "too few audits answered before the stop: " + acknowledged.size());

        System.out.printf("GracefulStopIT: %d audits acknowledged before the service stopped%n", acknowledged.size());
        start(port);
        List<String> missing = new ArrayList<>();
        for (String id : acknowledged) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/audits/" + id))
                            .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                missing.add(id + " (" + r.statusCode() + ")");
            }
        }
        assertEquals(0, missing.size(), missing.size() + " of " + acknowledged.size()
                + " acknowledged audits are missing after a graceful stop, e.g. " + missing.subList(0, Math.min(5, missing.size())));
    }

    private Process start(int port, String... jvmOptions) throws IOException, InterruptedException {
        Node node = Node.start(port, Map.of("PREAUDIT_DATA_DIR", dataDir.resolve("data").toString()),
                dataDir.resolve("service.log"), jvmOptions);
        started.add(node);
        return node.process();
    }

    @AfterEach
    void stopAndClean() throws Exception {
        for (Node node : started) {
            node.stop();
        }
        com.preaudit.support.TempDirs.delete(dataDir);
    }
}
