package com.preaudit.security;

import com.preaudit.support.Node;
import com.preaudit.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
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

    private final List<Node> started = new ArrayList<>();
    private Path dir;

    @Test
    void firstStartWritesTheAdminTokenAndASecondNodeFollowsMintsAndRevocations() throws Exception {
        dir = Files.createTempDirectory("preaudit-identity-it");
        Path logA = dir.resolve("a.log");
        Node a = start(logA, Map.of("PREAUDIT_DATA_DIR", dir.resolve("a").toString()));

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

        assertEquals(401, a.send("GET", "/api/v1/tokens", null, null).statusCode());
        HttpResponse<String> minted = a.send("POST", "/api/v1/tokens", admin,
                "{\"subject\": \"his-outpatient\", \"roles\": [\"audit-client\"], \"expiresInDays\": 30}");
        assertEquals(201, minted.statusCode(), minted.body());
        String token = group(TOKEN, minted.body());
        String id = group(ID, minted.body());

        // node B: the same database (node A's embedded PostgreSQL), its own data directory
        String pgPort = Files.readAllLines(dir.resolve("a").resolve("pg").resolve("postmaster.pid")).get(3).strip();
        Node b = start(dir.resolve("b.log"), Map.of("PREAUDIT_DATA_DIR", dir.resolve("b").toString(),
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "postgres"));
        assertFalse(Files.exists(dir.resolve("b").resolve("admin.token")), "the second node minted another admin token");
        assertEquals(200, b.send("GET", "/api/v1/charges/P-IT-1", token, null).statusCode(), "minted on A, refused on B");
        assertEquals(403, b.send("GET", "/api/v1/tokens", token, null).statusCode());

        assertEquals(204, a.send("DELETE", "/api/v1/tokens/" + id, admin, null).statusCode());
        long revoked = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(10)) {
            status = b.send("GET", "/api/v1/charges/P-IT-1", token, null).statusCode();
            if (status == 401) {
                break;
            }
            Thread.sleep(100);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
        assertEquals(401, status, "node B still accepts the revoked token after " + ms + " ms");
        assertTrue(ms <= 5000, "node B refused the revoked token only after " + ms + " ms");
        System.out.printf("IdentityIT: node B refused the token %d ms after its revocation on node A%n", ms);
        assertEquals(401, a.send("GET", "/api/v1/charges/P-IT-1", token, null).statusCode());
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

    private Node start(Path log, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        // the README's run command on a developer's machine; this may be a container (/.dockerenv), where the service
        // otherwise refuses an embedded PostgreSQL (ContainerGuardIT)
        all.put("PREAUDIT_EMBEDDED_DB", "true");
        Node node = Node.startWithoutAdminToken(Node.freePort(), all, log);
        started.add(node);
        return node;
    }

    @AfterEach
    void stopAndClean() throws Exception {
        // B first: A owns the database
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        TempDirs.delete(dir);
    }
}
