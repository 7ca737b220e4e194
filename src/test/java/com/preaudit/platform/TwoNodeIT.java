package com.preaudit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.support.AcknowledgedLoad;
import com.preaudit.support.Node;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PRODUCT.md §9, scale-out: two packaged nodes (each the jar in its own JVM) on one PostgreSQL, which the test
 * starts itself. A version published on one (a rule changed, a knowledge row changed) is served by the other within
 * 1 s; a charge and an exemption (granted, then revoked) made through one count in the other's next audit; a token
 * revoked through one is refused by the other; a requestId replayed to the other gets the first answer; one node
 * killed with SIGKILL under load loses nothing it acknowledged and the other keeps answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DAY_RULE = "TEST-2NODE-DAY";
    /** LINE rule: the same NODETEST item more than once on one day, counting the stored charges. */
    private static final String DAY_RULE_JSON = """
            {"name": "测试：同日同项目累计数量", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "when": "line.itemCode.startsWith('NODETEST') && fn.quantityIn(line, 'DAY') > 1",
             "message": "@{line.itemCode}当日累计@{fn.quantityIn(line, 'DAY')}次"}""";

    private static final String KNOW_RULE = "TEST-2NODE-KNOW";
    private static final String KNOW_SET = "two-node-items";
    /** LINE rule on a knowledge set of its own: its finding's message is the row's note. */
    private static final String KNOW_RULE_JSON = """
            {"name": "测试：知识库说明", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "knowledgeSet": "two-node-items", "matchOn": "ITEM", "when": "kp.note != null", "message": "@{kp.note}"}""";

    private Path dir;
    private EmbeddedPostgres postgres;
    private Node a;
    private Node b;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    void startOneDatabaseAndTwoNodes() throws Exception {
        dir = Files.createTempDirectory("preaudit-two-nodes");
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg").toFile()).setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                // no periodic version check within the test: a version reaches the other node through NOTIFY or not at all
                "PREAUDIT_CATALOG_POLL_INTERVAL", "1h");
        // one after the other: the first migrates the schema and imports rules-catalog/ into the empty database
        Path logs = Files.createDirectories(Path.of("target", "two-node-it"));
        a = Node.start(Node.freePort(), env, logs.resolve("node-a.log"));
        nodes.add(a);
        b = Node.start(Node.freePort(), env, logs.resolve("node-b.log"));
        nodes.add(b);
    }

    @Test
    @Order(1)
    void aRuleChangePublishedOnOneIsServedByTheOtherWithinOneSecond() throws Exception {
        String patient = "P-2N-PUB-" + UUID.randomUUID();
        assertEquals(-1, ruleFires(b, patient, "x0"), "the rule is not in the active version yet");
        HttpResponse<String> put = a.put("/api/v1/rules/" + DAY_RULE, DAY_RULE_JSON);
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        int version = publish("a new rule");
        // PRODUCT.md §9: served by the other node within 1 s. Node B compiled the catalog when it started; of the new
        // version it compiles only what changed (a rule), the rest it takes from its compile cache.
        assertServedByBWithinOneSecond(version, "a rule added");
        // two on one day: the new rule fires on node B
        assertTrue(audit(b, patient, "x1", 2).path("findings").findValuesAsText("ruleCode").contains(DAY_RULE),
                "node B serves version " + version + " without its new rule");
    }

    @Test
    @Order(1)
    void aKnowledgeRowChangedOnOneIsServedByTheOtherWithinOneSecond() throws Exception {
        // the rule and its set first (served like any publish), then a publish that changes only one row of the set
        putKnowledgeRow("第一版说明");
        HttpResponse<String> put = a.put("/api/v1/rules/" + KNOW_RULE, KNOW_RULE_JSON);
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        assertServedByBWithinOneSecond(publish("a rule with its knowledge set"), "a rule and its knowledge set added");
        assertEquals("第一版说明", knowledgeMessage(b));

        putKnowledgeRow("第二版说明");
        assertServedByBWithinOneSecond(publish("one knowledge row changed"), "a knowledge row changed");
        assertEquals("第二版说明", knowledgeMessage(b), "node B serves the new version with the old knowledge row");
    }

    /**
     * Polls node B's readiness check, which names the version its audits use, from the moment node A's publish answered
     * until it is {@code version}: at most 1 s. (Polling with audits would time B's commit of each audit record too.)
     */
    private void assertServedByBWithinOneSecond(int version, String what) throws Exception {
        long published = System.nanoTime();
        long servedAfter = -1;
        // polled for up to 30 s so that a miss prints how late it was
        while (System.nanoTime() - published < TimeUnit.SECONDS.toNanos(30)) {
            if (JSON.readTree(b.get("/q/health/ready").body()).findPath("activeVersion").asInt() == version) {
                servedAfter = (System.nanoTime() - published) / 1_000_000;
                break;
            }
            Thread.sleep(10);
        }
        System.out.printf("TwoNodeIT: version %d (%s) published through node A was active on node B %d ms after A answered%n",
                version, what, servedAfter);
        assertTrue(servedAfter >= 0 && servedAfter <= 1000, "node B took version " + version + " (" + what + ") after "
                + servedAfter + " ms; PRODUCT.md §9 asks for 1 s");
        assertEquals(version, audit(b, "P-2N-POLL", "p", 1).path("catalogVersion").asInt(), "node B's audits do not use version " + version);
    }

    private void putKnowledgeRow(String note) throws Exception {
        HttpResponse<String> set = a.put("/api/v1/knowledge-sets/" + KNOW_SET,
                "{\"rows\": [{\"kp_id\": \"KP-2N-1\", \"item_codes\": \"NODETEST-K\", \"note\": \"" + note + "\"}]}");
        assertEquals(200, set.statusCode(), set.body());
    }

    /** The message of the knowledge rule's finding in node B's audit of a NODETEST-K line, or null. */
    private String knowledgeMessage(Node node) throws Exception {
        String request = """
                {"stage": "PRE_ORDER", "patient": {"id": "P-2N-KNOW", "gender": "F", "birthDate": "1960-05-05"},
                 "lines": [{"id": "K1", "itemCode": "NODETEST-K", "itemName": "NODETEST-K", "itemType": "SERVICE",
                            "quantity": 1, "amount": 10}]}""";
        for (JsonNode f : audit(node, request).path("findings")) {
            if (KNOW_RULE.equals(f.path("ruleCode").asText())) {
                return f.path("message").asText();
            }
        }
        return null;
    }

    @Test
    @Order(2)
    void aChargeMadeThroughOneCountsInTheOthersNextAudit() throws Exception {
        ensureDayRule();
        String patient = "P-2N-CHG-" + UUID.randomUUID();
        // node B audits the patient first, so it holds a copy of the (empty) history
        assertEquals(-1, ruleFires(b, patient, "n0"), "no earlier charge yet");
        String charge = """
                {"patientId": "%s", "encounterId": "E1", "lines": [{"id": "h1", "itemCode": "NODETEST-G", "itemName": "NODETEST-G",
                  "itemType": "SERVICE", "quantity": 1, "amount": 10, "orderedAt": "%sT09:00:00"}]}""".formatted(patient, LocalDate.now());
        HttpResponse<String> charged = a.post("/api/v1/charges", charge);
        assertEquals(200, charged.statusCode(), charged.body());
        assertTrue(ruleFires(b, patient, "n1") >= 0, "node B's next audit does not count the charge made through node A");
    }

    @Test
    @Order(2)
    void aTokenRevokedThroughOneIsRefusedByTheOther() throws Exception {
        HttpResponse<String> minted = a.post("/api/v1/tokens",
                "{\"subject\": \"his-2n\", \"roles\": [\"audit-client\"], \"note\": \"two-node test\"}");
        assertTrue(minted.statusCode() == 200 || minted.statusCode() == 201, minted.body());
        JsonNode token = JSON.readTree(minted.body());
        String value = token.path("token").asText();
        assertEquals(200, auditWith(b, value), "node B refuses a token minted through node A");
        HttpResponse<String> revoked = a.delete("/api/v1/tokens/" + token.path("id").asText());
        assertTrue(revoked.statusCode() == 204 || revoked.statusCode() == 200, revoked.body());
        // PRODUCT.md §10: every node refuses a revoked token within 5 s (a node re-checks a cached credential against
        // the database at most every few seconds, instead of on every request)
        long revokedAt = System.nanoTime();
        int status = auditWith(b, value);
        while (status != 401 && System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(100);
            status = auditWith(b, value);
        }
        assertEquals(401, status, "node B still accepts a token revoked through node A 5 s later");
        System.out.printf("TwoNodeIT: node B refused the token revoked through node A after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt));
    }

    @Test
    @Order(2)
    void anExemptionGrantedThroughOneCountsOnTheOthersNextAuditAndItsRevocationToo() throws Exception {
        String patient = "P-2N-EX-" + UUID.randomUUID();
        assertEquals("BLOCK", genderFinding(b, patient).path("action").asText(), "the drug-gender rule does not block on node B");
        LocalDate today = LocalDate.now();
        String grant = """
                {"patientId": "%s", "ruleCode": "%s", "itemCode": "%s", "validFrom": "%s", "validTo": "%s",
                 "reason": "两节点测试：医保办审批"}""".formatted(patient, GENDER_RULE, IUD, today.minusDays(1), today.plusDays(30));
        HttpResponse<String> granted = a.post("/api/v1/exemptions", grant);
        assertEquals(201, granted.statusCode(), granted.body());
        String id = JSON.readTree(granted.body()).path("id").asText();

        JsonNode exempted = audit(b, genderRequest(patient));
        assertEquals("PASS", exempted.path("decision").asText(), "node B does not count the exemption granted through node A: " + exempted);
        JsonNode finding = genderFinding(exempted);
        assertEquals("INFO", finding.path("action").asText());
        assertEquals(id, finding.path("exemptionId").asText());

        HttpResponse<String> revoked = a.delete("/api/v1/exemptions/" + id);
        assertEquals(204, revoked.statusCode(), revoked.body());
        JsonNode again = audit(b, genderRequest(patient));
        assertEquals("BLOCK", again.path("decision").asText(), "node B still counts the exemption revoked through node A: " + again);
        assertTrue(genderFinding(again).path("exemptionId").isMissingNode() || genderFinding(again).path("exemptionId").isNull());
    }

    private static final String GENDER_RULE = "GZ10000301004000";
    private static final String IUD = "XG02BAZ061Z007010279543";

    /** A man's order of a drug for women only: the default catalog's drug-gender rule blocks it. */
    private static String genderRequest(String patient) {
        return """
                {"stage": "PRE_ORDER", "patient": {"id": "%s", "gender": "M", "birthDate": "1951-08-27"},
                 "lines": [{"id": "L1", "itemCode": "%s", "itemName": "左炔诺孕酮宫内节育系统",
                            "itemType": "DRUG", "quantity": 1, "amount": 1153.00}]}""".formatted(patient, IUD);
    }

    private JsonNode genderFinding(Node node, String patient) throws Exception {
        return genderFinding(audit(node, genderRequest(patient)));
    }

    private static JsonNode genderFinding(JsonNode answer) {
        for (JsonNode f : answer.path("findings")) {
            if (GENDER_RULE.equals(f.path("ruleCode").asText())) {
                return f;
            }
        }
        throw new AssertionError("no finding of " + GENDER_RULE + " in " + answer);
    }

    private JsonNode audit(Node node, String request) throws Exception {
        HttpResponse<String> r = node.post("/api/v1/audits", request);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private int auditWith(Node node, String bearer) throws Exception {
        return node.postAs(bearer, "/api/v1/audits", genderRequest("P-2N-TOKEN")).statusCode();
    }

    @Test
    @Order(3)
    void aRequestIdReplayedToTheOtherNodeGetsTheFirstAnswer() throws Exception {
        String request = """
                {"requestId": "%s", "stage": "PRE_ORDER", "patient": {"id": "P-2N-REPLAY", "gender": "M", "birthDate": "1951-08-27"},
                 "lines": [{"id": "L1", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                            "itemType": "DRUG", "quantity": 1, "amount": 1153.00}]}""".formatted("REQ-2N-" + UUID.randomUUID());
        HttpResponse<String> first = a.post("/api/v1/audits", request);
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> replay = b.post("/api/v1/audits", request);
        assertEquals(200, replay.statusCode(), replay.body());
        assertEquals(JSON.readTree(first.body()), JSON.readTree(replay.body()), "node B answered the replay with another answer");
    }

    @Test
    @Order(4)
    void oneNodeKilledUnderLoadLosesNothingItAcknowledgedAndTheOtherKeepsAnswering() throws Exception {
        AcknowledgedLoad load = new AcknowledgedLoad("2N-" + System.nanoTime());
        long start = System.nanoTime();
        int[] atKill = new int[1];
        long[] killedAt = new long[1];
        // counted, not timed: the machine's speed varies tenfold with the other builds on it
        load.run(List.of(a, b), () -> {
            long elapsed = System.nanoTime() - start;
            if (a.alive() && (load.audits.size() >= 60 && !load.dispositions.isEmpty() || elapsed > TimeUnit.SECONDS.toNanos(60))) {
                try {
                    a.kill(); // SIGKILL while requests to both nodes are in flight
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                atKill[0] = load.audits.size();
                killedAt[0] = System.nanoTime();
            }
            // then node B alone, until it has acknowledged 40 more audits
            return !a.alive() && (load.audits.size() >= atKill[0] + 40 || System.nanoTime() - killedAt[0] > TimeUnit.SECONDS.toNanos(60));
        });
        assertFalse(a.alive());
        AcknowledgedLoad.Lost lost = load.lostOn(b);
        System.out.printf("TwoNodeIT: %s; node A killed after %d audits; on node B afterwards: %s%n", load.summary(), atKill[0], lost);
        assertTrue(atKill[0] >= 60, "too few audits before the kill: " + load.summary());
        assertTrue(load.audits.size() >= atKill[0] + 40, "node B stopped answering after node A was killed: " + load.summary());
        assertEquals(0, lost.total(), "lost when a node was killed: " + lost);
        assertEquals(200, b.get("/q/health/ready").statusCode());
    }

    /** The index of the day rule among the findings of an audit of one NODETEST line today, or -1. */
    private int ruleFires(Node node, String patient, String lineId) throws Exception {
        JsonNode findings = audit(node, patient, lineId, 1).path("findings");
        for (int i = 0; i < findings.size(); i++) {
            if (DAY_RULE.equals(findings.get(i).path("ruleCode").asText())) {
                return i;
            }
        }
        return -1;
    }

    private JsonNode audit(Node node, String patient, String lineId, int quantity) throws Exception {
        String request = """
                {"stage": "PRE_ORDER", "patient": {"id": "%s", "gender": "F", "birthDate": "1960-05-05"},
                 "encounter": {"id": "E1", "admittedAt": "%sT08:00:00", "departmentCode": "D-2N", "doctorId": "DOC-2N"},
                 "lines": [{"id": "%s", "itemCode": "NODETEST-G", "itemName": "NODETEST-G", "itemType": "SERVICE",
                            "quantity": %d, "amount": 10, "orderedAt": "%sT12:00:00"}]}""".formatted(patient, LocalDate.now().minusDays(3), lineId, quantity,
                LocalDate.now());
        return audit(node, request);
    }

    private int activeVersion(Node node) throws Exception {
        for (JsonNode v : JSON.readTree(node.get("/api/v1/catalog/versions").body())) {
            if (v.path("active").asBoolean()) {
                return v.path("version").asInt();
            }
        }
        return 0;
    }

    private int publishDayRule() throws Exception {
        HttpResponse<String> put = a.put("/api/v1/rules/" + DAY_RULE, DAY_RULE_JSON);
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        return publish("two-node test");
    }

    /** Publishes the draft through node A; prints how long A's publish took. */
    private int publish(String note) throws Exception {
        String body = "{\"note\": \"" + note + "\", \"basedOn\": " + activeVersion(a) + ", \"author\": \"test\"}";
        long start = System.nanoTime();
        HttpResponse<String> published = a.post("/api/v1/catalog/versions", body);
        assertEquals(201, published.statusCode(), published.body());
        System.out.printf("TwoNodeIT: node A's publish (%s) took %d ms%n", note, (System.nanoTime() - start) / 1_000_000);
        return JSON.readTree(published.body()).path("version").asInt();
    }

    /** The day rule is in the active version, and node B serves that version. */
    private void ensureDayRule() throws Exception {
        int version = activeVersion(b);
        if (b.get("/api/v1/rules/" + DAY_RULE + "?version=" + version).statusCode() != 200) {
            version = publishDayRule();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (audit(b, "P-2N-WAIT", "w", 1).path("catalogVersion").asInt() != version && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (Node n : nodes) {
            n.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        com.preaudit.support.TempDirs.delete(dir);
    }
}
