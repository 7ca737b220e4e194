package com.preaudit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.audit.AuditResource;
import com.preaudit.catalog.CatalogApiTest;
import com.preaudit.support.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A graceful restart of the packaged service on the same data directory keeps everything it
 * acknowledged: a published catalog version (and which one is active), charges and a refund, a
 * disposition, and the audits answered right before SIGTERM. One test, both halves, so it depends
 * on no other test having run (it replaces the RestartWritesTest / RestartReadsTest pair).
 */
class RestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LAST_AUDITS = 300;
    private static final String RULE = "TEST-RESTART-MARKER";

    private Path dir;
    private final List<Node> nodes = new ArrayList<>();

    @Test
    void whatWasAcknowledgedBeforeAGracefulRestartIsThereAfterIt() throws Exception {
        dir = Files.createTempDirectory("preaudit-restart-it");
        int port = Node.freePort();
        Node before = start(port);

        // a catalog version, active
        assertEquals(201, before.put("/api/v1/rules/" + RULE, CatalogApiTest.localRule()).statusCode());
        int active = activeVersion(before);
        HttpResponse<String> published = before.post("/api/v1/catalog/versions",
                "{\"note\": \"before restart\", \"basedOn\": " + active + ", \"author\": \"it\"}");
        assertEquals(201, published.statusCode(), published.body());
        int version = JSON.readTree(published.body()).path("version").asInt();

        // charges, a refund and a disposition
        String patient = "P-RESTART-" + UUID.randomUUID();
        String charges = "{\"patientId\": \"" + patient + "\", \"encounterId\": \"E1\", \"lines\": ["
                + "{\"id\": \"r1\", \"itemCode\": \"003101000010000\", \"quantity\": 1, \"orderedAt\": \"2025-06-14T08:00:00\"},"
                + "{\"id\": \"r2\", \"itemCode\": \"003101000010000\", \"quantity\": 1, \"orderedAt\": \"2025-06-14T09:00:00\"}]}";
        assertEquals(200, before.post("/api/v1/charges", charges).statusCode());
        assertEquals(204, before.delete("/api/v1/charges/" + patient + "/r2").statusCode());
        JsonNode audit = JSON.readTree(before.post("/api/v1/audits", order("T-RESTART-" + UUID.randomUUID())).body());
        String auditId = audit.path("auditId").asText();
        String findingId = audit.path("findings").path(0).path("id").asText();
        assertEquals(204, before.post("/api/v1/audits/" + auditId + "/dispositions", "{\"items\": [{\"findingId\": \"" + findingId
                + "\", \"disposition\": \"OVERRIDDEN\", \"reason\": \"重启前的处理\", \"by\": \"00129\"}]}").statusCode());

        // the last thing before the stop: audits answered back to back
        List<String> last = new ArrayList<>();
        for (int i = 0; i < LAST_AUDITS; i++) {
            HttpResponse<String> r = before.post("/api/v1/audits", order("T-LAST-" + i + "-" + UUID.randomUUID()));
            assertEquals(200, r.statusCode(), r.body());
            last.add(JSON.readTree(r.body()).path("auditId").asText());
        }
        before.stop(); // SIGTERM

        Node after = start(port);
        assertEquals(version, activeVersion(after), "the version active before the restart");
        assertEquals(200, after.get("/api/v1/rules/" + RULE + "?version=" + version).statusCode());
        JsonNode stored = JSON.readTree(after.get("/api/v1/audits/" + auditId).body());
        assertEquals(findingId, stored.path("dispositions").path(0).path("findingId").asText());
        assertEquals("OVERRIDDEN", stored.path("dispositions").path(0).path("disposition").asText());
        JsonNode lines = JSON.readTree(after.get("/api/v1/charges/" + patient + "?from=2025-06-14&to=2025-06-14").body());
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(List.of(false, true), List.of(lines.path(0).path("refunded").asBoolean(), lines.path(1).path("refunded").asBoolean()));
        List<String> missing = new ArrayList<>();
        for (String id : last) {
            if (after.get("/api/v1/audits/" + id).statusCode() != 200) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "audits acknowledged before the restart but not stored");
    }

    private static String order(String requestId) {
        return AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", requestId);
    }

    private static int activeVersion(Node node) throws Exception {
        for (JsonNode v : JSON.readTree(node.get("/api/v1/catalog/versions").body())) {
            if (v.path("active").asBoolean()) {
                return v.path("version").asInt();
            }
        }
        throw new AssertionError("no active version");
    }

    private Node start(int port) throws Exception {
        Node node = Node.start(port, Map.of("PREAUDIT_DATA_DIR", dir.resolve("data").toString()), dir.resolve("service.log"));
        nodes.add(node);
        assertNotNull(node);
        return node;
    }

    @AfterEach
    void stopAndClean() throws Exception {
        for (Node n : nodes) {
            n.stop();
        }
        com.preaudit.support.TempDirs.delete(dir);
    }
}
