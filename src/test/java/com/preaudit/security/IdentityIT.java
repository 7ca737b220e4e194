package com.preaudit.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service as the README runs it (PRODUCT.md §10): the first start writes the admin token
 * to data/admin.token (0600) and logs its path, never its value, and ends with the banner; a second
 * node on the same database accepts a token minted on the first and refuses it within 5 s of its
 * revocation there.
 */
class IdentityIT {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"(pa_[A-Za-z0-9_-]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(tok_[0-9a-f]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private Path dir;

    @Test
    void firstStartWritesTheAdminTokenAndASecondNodeFollowsMintsAndRevocations() throws Exception {
        dir = Files.createTempDirectory("preaudit-identity-it");
        int portA = freePort();
        Path logA = dir.resolve("a.log");
        start(portA, logA, Map.of("PREAUDIT_DATA_DIR", dir.resolve("a").toString()));
        URI a = URI.create("http://127.0.0.1:" + portA);

        Path file = dir.resolve("a").resolve("admin.token");
        assertTrue(Files.exists(file), "no admin.token after the first start");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String admin = Files.readString(file).strip();
        assertTrue(admin.startsWith("pa_") && admin.length() > 40, "not a PreAudit token");
        awaitLog(logA, "PreAudit is ready");
        String log = Files.readString(logA);
        assertFalse(log.contains(admin), "the log contains the admin token's value");
        assertTrue(log.contains(file.toAbsolutePath().toString()), "the log does not name the admin token file");
        List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
        assertTrue(tail.contains("/q/swagger-ui") && tail.contains("/console") && tail.contains("audit-client")
                && tail.contains("curl"), "the banner is not the last thing printed:\n" + tail);

        assertEquals(401, send(a, "GET", "/api/v1/tokens", null, null).statusCode());
        HttpResponse<String> minted = send(a, "POST", "/api/v1/tokens", admin,
                "{\"subject\": \"his-outpatient\", \"roles\": [\"audit-client\"], \"expiresInDays\": 30}");
        assertEquals(201, minted.statusCode(), minted.body());
        String token = group(TOKEN, minted.body());
        String id = group(ID, minted.body());

        // node B: the same database (node A's embedded PostgreSQL), its own data directory
        String pgPort = Files.readAllLines(dir.resolve("a").resolve("pg").resolve("postmaster.pid")).get(3).strip();
        int portB = freePort();
        Path logB = dir.resolve("b.log");
        start(portB, logB, Map.of("PREAUDIT_DATA_DIR", dir.resolve("b").toString(),
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "postgres"));
        URI b = URI.create("http://127.0.0.1:" + portB);
        assertFalse(Files.exists(dir.resolve("b").resolve("admin.token")), "the second node minted another admin token");
        assertEquals(200, send(b, "GET", "/api/v1/charges/P-IT-1", token, null).statusCode(), "minted on A, refused on B");
        assertEquals(403, send(b, "GET", "/api/v1/tokens", token, null).statusCode());

        assertEquals(204, send(a, "DELETE", "/api/v1/tokens/" + id, admin, null).statusCode());
        long revoked = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(10)) {
            status = send(b, "GET", "/api/v1/charges/P-IT-1", token, null).statusCode();
            if (status == 401) {
                break;
            }
            Thread.sleep(100);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
        assertEquals(401, status, "node B still accepts the revoked token after " + ms + " ms");
        assertTrue(ms <= 5000, "node B refused the revoked token only after " + ms + " ms");
        System.out.printf("IdentityIT: node B refused the token %d ms after its revocation on node A%n", ms);
        assertEquals(401, send(a, "GET", "/api/v1/charges/P-IT-1", token, null).statusCode());
    }

    private HttpResponse<String> send(URI base, String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertTrue(m.find(), "no " + p + " in " + body);
        return m.group(1);
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                Thread.sleep(500); // the rest of the banner
                return;
            }
            Thread.sleep(200);
        }
        fail("the log has no '" + text + "'");
    }

    private Process start(int port, Path log, Map<String, String> env) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("preaudit.runner", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), "build the service first: " + jar);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().remove("PREAUDIT_ADMIN_TOKEN");
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process p = pb.start();
        started.add(p);
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the service exited while starting; log: " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("the service was not ready within 240 s; log: " + log);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stopAndClean() throws Exception {
        // B first: A owns the database
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
