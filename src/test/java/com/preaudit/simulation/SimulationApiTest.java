package com.preaudit.simulation;

import com.preaudit.support.Db;
import com.preaudit.support.Api;
import com.preaudit.support.Await;
import com.preaudit.support.HistoryFixtures;
import com.preaudit.support.StoredAudits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Impact simulation through the API (PRODUCT.md §11): stored audits replayed through a draft change and the active
 * catalog. The test audits are PRE_SETTLEMENT / PHARMACY (no other HTTP test audits that combination) and use
 * SIMTEST item codes that only the test rules below look at, so the totals are exactly this test's.
 */
@QuarkusTest
class SimulationApiTest {

    static final String STAGE = "PRE_SETTLEMENT";
    static final String SCENARIO = "PHARMACY";
    static final String OTHER = "INTERNET";

    static final String KNOW = "TEST-SIM-KNOW";   // flags every item of the sim-know knowledge set
    static final String QTY = "TEST-SIM-QTY";     // quantity above param.max
    static final String NEW = "TEST-SIM-NEW";     // only in the draft
    static final String HIST = "TEST-SIM-HIST";   // only in the draft: the same SIMTEST-H item twice on a day, history included

    static final String KNOW_JSON = """
            {"name": "测试：知识库品种", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "knowledgeSet": "sim-know", "when": "true", "message": "@{line.itemCode}在知识库中"}""";

    static String qtyJson(int max) {
        return """
                {"name": "测试：数量超限", "tier": "MANAGEMENT", "category": "测试", "resultType": "VIOLATION",
                 "actions": {"PRE_ORDER": "BLOCK", "PRE_CHARGE": "BLOCK", "PRE_SETTLEMENT": "BLOCK"}, "scope": "LINE",
                 "params": {"max": %d},
                 "when": "line.itemCode.startsWith('SIMTEST') && line.quantity > param.max",
                 "message": "@{line.itemCode}数量超过@{param.max}"}""".formatted(max);
    }

    static final String NEW_JSON = """
            {"name": "测试：新规则", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "when": "line.itemCode == 'SIMTEST-N'", "message": "新规则"}""";

    static final String HIST_JSON = """
            {"name": "测试：同日重复", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "when": "line.itemCode.startsWith('SIMTEST-H') && fn.quantityIn(line, 'DAY') > 1",
             "message": "@{line.itemCode}当日重复"}""";

    static final String KNOW_CSV = "kp_id,item_codes,note\nKP-SIM-1,SIMTEST-K1,一\nKP-SIM-2,SIMTEST-K2,二\n";
    static final String KNOW_CSV_WITHOUT_K2 = "kp_id,item_codes,note\nKP-SIM-1,SIMTEST-K1,一\n";

    @Inject
    AgroalDataSource ds;

    @BeforeEach
    void baseRules() {
        Integer active = Api.activeVersion();
        boolean present = active != null && given().get("/api/v1/rules/" + KNOW + "?version=" + active).statusCode() == 200;
        if (!present) {
            Api.putCsv("sim-know", KNOW_CSV).then().statusCode(200);
            Api.putRule(KNOW, KNOW_JSON).then().statusCode(anyOf(equalTo(200), equalTo(201)));
            Api.putRule(QTY, qtyJson(5)).then().statusCode(anyOf(equalTo(200), equalTo(201)));
            Api.publish("simulation test rules");
        }
    }

    private static final LocalDateTime TODAY = LocalDate.now().atTime(8, 0);

    private static Map<String, Object> line(String id, String code, int quantity, int amount) {
        return HistoryFixtures.line(id, code, "SERVICE", quantity, amount, TODAY.plusHours(1));
    }

    private static Map<String, Object> request(String patient, String department, String doctor, Map<String, Object> line) {
        return request(SCENARIO, patient, department, doctor, line);
    }

    /** The other tests audit in another scenario, so that the draft test's totals are its own audits'. */
    private static Map<String, Object> request(String scenario, String patient, String department, String doctor, Map<String, Object> line) {
        return HistoryFixtures.encounterAudit(STAGE, scenario, patient, "1960-05-05", department, doctor, List.of(line));
    }

    private static String audit(Map<String, Object> request, String expectedDecision) {
        return given().contentType(ContentType.JSON).body(request).post("/api/v1/audits").then().statusCode(200)
                .body("decision", equalTo(expectedDecision)).extract().path("auditId");
    }

    private static void charge(String patient, Map<String, Object> line) {
        given().contentType(ContentType.JSON).body(Map.of("patientId", patient, "encounterId", "E-" + patient, "lines", List.of(line)))
                .post("/api/v1/charges").then().statusCode(200).body("recorded", equalTo(1));
    }

    /** Waits until the record writer has stored these audits (a simulation replays stored records only). */
    private void awaitStored(List<String> auditIds) throws Exception {
        StoredAudits.awaitAll(ds, auditIds);
    }

    static String start(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/simulations").then().statusCode(202)
                .body("id", notNullValue()).extract().path("id");
    }

    static JsonPath awaitEnd(String id) throws Exception {
        JsonPath sim = Await.until(() -> given().get("/api/v1/simulations/" + id).then().statusCode(200).extract().jsonPath(),
                s -> !"RUNNING".equals(s.getString("status")), Duration.ofSeconds(60), Duration.ofMillis(50));
        return sim;
    }

    static Map<String, Object> body(Object candidate, Object baseline) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("candidate", candidate);
        b.put("baseline", baseline);
        b.put("from", LocalDate.now().minusDays(1).toString());
        b.put("to", LocalDate.now().plusDays(1).toString());
        b.put("stage", STAGE);
        b.put("scenario", SCENARIO);
        return b;
    }

    @Test
    void aDraftChangeShowsExactlyTheFindingsItAddsAndRemovesByRuleDepartmentAndDoctor() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String dept = "D-SIM-" + run;
        String doctor = "DOC-SIM-" + run;
        String lineDept = "D-SIM-LINE-" + run;
        String lineDoctor = "DOC-SIM-LINE-" + run;
        List<String> ids = new ArrayList<>();
        // a1: in the knowledge set, stays so: no change
        String a1 = audit(request("P-SIM-1-" + run, dept, doctor, line("l1", "SIMTEST-K1", 1, 100)), "WARN");
        // a2: quantity 4, under today's threshold 5, over the draft's 3: QTY added, PASS → BLOCK
        String a2 = audit(request("P-SIM-2-" + run, dept, doctor, line("l1", "SIMTEST-Q", 4, 400)), "PASS");
        // a3: its knowledge row is removed in the draft: KNOW removed, WARN → PASS
        String a3 = audit(request("P-SIM-3-" + run, dept, doctor, line("l1", "SIMTEST-K2", 1, 50)), "WARN");
        // a4: the new rule fires; the line names its own department and doctor, which the finding is counted under
        Map<String, Object> l4 = line("l1", "SIMTEST-N", 1, 70);
        l4.put("departmentCode", lineDept);
        l4.put("doctorId", lineDoctor);
        String a4 = audit(request("P-SIM-4-" + run, dept, doctor, l4), "PASS");
        // a5: a charge of the same item that day was recorded before the audit: the new history rule fires
        String p5 = "P-SIM-5-" + run;
        charge(p5, line("h1", "SIMTEST-H", 1, 30));
        String a5 = audit(request(p5, dept, doctor, line("l1", "SIMTEST-H", 1, 30)), "PASS");
        // a6: the same charge is posted only AFTER the audit: its replay must not see it
        String p6 = "P-SIM-6-" + run;
        String a6 = audit(request(p6, dept, doctor, line("l1", "SIMTEST-H", 1, 30)), "PASS");
        charge(p6, line("h1", "SIMTEST-H", 1, 30));
        // a7: a charge recorded before the audit and refunded after it stood at the audit's time: it counts
        String p7 = "P-SIM-7-" + run;
        charge(p7, line("h1", "SIMTEST-H", 1, 30));
        String a7 = audit(request(p7, dept, doctor, line("l1", "SIMTEST-H", 1, 30)), "PASS");
        given().delete("/api/v1/charges/" + p7 + "/h1").then().statusCode(204);
        ids.addAll(List.of(a1, a2, a3, a4, a5, a6, a7));
        awaitStored(ids);

        // the draft change: a changed threshold, a removed knowledge row, two new rules
        Api.putRule(QTY, qtyJson(3)).then().statusCode(200);
        Api.putCsv("sim-know", KNOW_CSV_WITHOUT_K2).then().statusCode(200);
        Api.putRule(NEW, NEW_JSON).then().statusCode(201);
        Api.putRule(HIST, HIST_JSON).then().statusCode(201);
        JsonPath sim;
        try {
            String id = start(body("draft", "active"));
            sim = awaitEnd(id);
        } finally {
            // the draft back as it was, for the other tests
            Api.putRule(QTY, qtyJson(5)).then().statusCode(200);
            Api.putCsv("sim-know", KNOW_CSV).then().statusCode(200);
            given().delete("/api/v1/rules/" + NEW).then().statusCode(204);
            given().delete("/api/v1/rules/" + HIST).then().statusCode(204);
        }
        assertEquals("DONE", sim.getString("status"), sim.prettify());
        assertEquals(7, sim.getInt("result.audits"), sim.prettify());
        assertEquals(7, sim.getInt("progress.replayed"));
        assertEquals(7, sim.getInt("progress.total"));
        assertEquals(5, sim.getInt("result.changedAudits"), sim.prettify());
        assertEquals("draft", sim.getString("candidate"));
        assertEquals(Api.activeVersion(), sim.getInt("baselineVersion"));

        Map<String, Integer> decisions = new LinkedHashMap<>();
        for (Map<String, Object> d : sim.<Map<String, Object>>getList("result.decisionChanges")) {
            decisions.put(d.get("from") + ">" + d.get("to"), (Integer) d.get("audits"));
        }
        assertEquals(Map.of("PASS>WARN", 3, "PASS>BLOCK", 1, "WARN>PASS", 1), decisions, sim.prettify());

        Map<String, String> byRule = new LinkedHashMap<>();
        for (Map<String, Object> r : sim.<Map<String, Object>>getList("result.byRule")) {
            byRule.put((String) r.get("ruleCode"), r.get("added") + "/" + r.get("removed") + " " + r.get("amountAdded") + "/" + r.get("amountRemoved"));
        }
        assertEquals(Map.of(QTY, "1/0 400/0", KNOW, "0/1 0/50", NEW, "1/0 70/0", HIST, "2/0 60/0"), normalise(byRule), sim.prettify());
        assertEquals("测试：同日重复", sim.getString("result.byRule.find { it.ruleCode == '" + HIST + "' }.ruleName"));

        Map<String, String> byDepartment = new LinkedHashMap<>();
        for (Map<String, Object> r : sim.<Map<String, Object>>getList("result.byDepartment")) {
            byDepartment.put((String) r.get("departmentCode"), r.get("added") + "/" + r.get("removed") + " " + r.get("amountAdded") + "/" + r.get("amountRemoved"));
        }
        assertEquals(Map.of(dept, "3/1 460/50", lineDept, "1/0 70/0"), normalise(byDepartment), sim.prettify());
        Map<String, String> byDoctor = new LinkedHashMap<>();
        for (Map<String, Object> r : sim.<Map<String, Object>>getList("result.byDoctor")) {
            byDoctor.put((String) r.get("doctorId"), r.get("added") + "/" + r.get("removed"));
        }
        assertEquals(Map.of(doctor, "3/1", lineDoctor, "1/0"), byDoctor, sim.prettify());

        Map<String, String> samples = new LinkedHashMap<>();
        for (Map<String, Object> s : sim.<Map<String, Object>>getList("result.samples")) {
            samples.put((String) s.get("auditId"), s.get("added") + "/" + s.get("removed"));
        }
        assertEquals(Map.of(a2, "[" + QTY + "]/[]", a3, "[]/[" + KNOW + "]", a4, "[" + NEW + "]/[]",
                a5, "[" + HIST + "]/[]", a7, "[" + HIST + "]/[]"), samples, sim.prettify());

        // the simulation wrote nothing but its result: the stored audits and the catalog are as they were
        given().get("/api/v1/audits/" + a2).then().statusCode(200).body("response.decision", equalTo("PASS"));
    }

    /** Amounts as plain numbers (400.00 → 400), so the expectation does not depend on the JSON's scale. */
    private static Map<String, String> normalise(Map<String, String> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> out.put(k, v.replaceAll("\\.0+\\b", "")));
        return out;
    }

    @Test
    void theActiveCatalogAgainstItselfChangesNothing() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = List.of(
                audit(request(OTHER, "P-SIM-S1-" + run, "D-S", "DOC-S", line("l1", "SIMTEST-K1", 9, 10)), "BLOCK"),
                audit(request(OTHER, "P-SIM-S2-" + run, "D-S", "DOC-S", line("l1", "SIMTEST-X", 1, 10)), "PASS"));
        awaitStored(ids);
        // every stored audit of the period, of every test so far, not only these two
        Map<String, Object> self = body(Api.activeVersion(), "active");
        self.remove("stage");
        self.remove("scenario");
        JsonPath sim = awaitEnd(start(self));
        assertEquals("DONE", sim.getString("status"), sim.prettify());
        assertTrue(sim.getInt("result.audits") >= 2, sim.prettify());
        assertEquals(0, sim.getInt("result.changedAudits"), sim.prettify());
        assertEquals(List.of(), sim.getList("result.decisionChanges"));
        assertEquals(List.of(), sim.getList("result.byRule"));
        assertEquals(List.of(), sim.getList("result.byDepartment"));
        assertEquals(List.of(), sim.getList("result.byDoctor"));
        assertEquals(List.of(), sim.getList("result.samples"));
    }

    /**
     * A replay takes a whole core if it can; the audits beside it must not queue behind it. The worker runs at nice 19
     * (Linux: per thread), so the scheduler gives it a core only when the request threads leave one idle.
     */
    @Test
    void theWorkerRunsBelowTheAuditsInTheScheduler() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/thread-self")),
                "per-thread nice values are Linux's");
        Map<String, Object> self = body(Api.activeVersion(), "active");
        assertEquals("DONE", awaitEnd(start(self)).getString("status"));
        List<Integer> nices = new ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                String comm;
                String stat;
                try {
                    comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException ended) {
                    continue;   // a thread (of any pool) that ended between the listing and the read
                }
                if (comm.startsWith("simulation-")) {
                    // fields after "(comm) ": state is the 3rd field of stat, nice the 19th
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    nices.add(Integer.parseInt(f[16]));
                }
            }
        }
        assertTrue(!nices.isEmpty(), "a simulation worker thread exists after a run");
        assertEquals(List.of(19), nices.stream().distinct().toList(), "the workers' nice values");
    }

    @Test
    void cancelStopsARunningSimulation() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        awaitStored(List.of(audit(request(OTHER, "P-SIM-C-" + run, "D-C", "DOC-C", line("l1", "SIMTEST-K1", 1, 10)), "WARN")));
        String id;
        // While this transaction holds charge_line, the replay waits at its first page's history read: the
        // simulation is certainly RUNNING when it is cancelled.
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE charge_line IN ACCESS EXCLUSIVE MODE")) {
                lock.execute();
            }
            Map<String, Object> everything = body("draft", "active");
            everything.remove("stage");
            everything.remove("scenario");
            id = start(everything);
            JsonPath running = Await.until(() -> given().get("/api/v1/simulations/" + id).then().extract().jsonPath(),
                    s -> s.getLong("progress.total") > 0, Duration.ofSeconds(60), Duration.ofMillis(50));
            assertEquals("RUNNING", running.getString("status"), running.prettify());
            given().delete("/api/v1/simulations/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));
            c.rollback();
        }
        JsonPath after = Await.until(() -> given().get("/api/v1/simulations/" + id).then().extract().jsonPath(),
                s -> s.get("result") != null, Duration.ofSeconds(30), Duration.ofMillis(50));
        assertEquals("CANCELLED", after.getString("status"), after.prettify());
        assertTrue(after.getLong("progress.replayed") < after.getLong("progress.total"), after.prettify());
        assertTrue(after.getString("finishedAt") != null, after.prettify());
        // cancelling again is harmless; the worker is free for the next one
        given().delete("/api/v1/simulations/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        JsonPath next = awaitEnd(start(body(Api.activeVersion(), "active")));
        assertEquals("DONE", next.getString("status"), next.prettify());
        given().delete("/api/v1/simulations/" + next.getString("id")).then().statusCode(409);
        given().get("/api/v1/simulations").then().statusCode(200).body("id", hasItem(id)).body("id", hasItem(next.getString("id")));
    }

    @Test
    void aSimulationInterruptedByAStopEndsFailedAndCanBeStartedAgain() throws Exception {
        // a RUNNING row of a process that is gone (no session holds its node's lock), as a restart leaves it
        UUID id = UUID.randomUUID();
        int version = Api.activeVersion();
        Db.update("INSERT INTO simulation (id, status, candidate, baseline, baseline_version, from_date, to_date, period_start, period_end, "
                + "replayed, total, created_by, created_at, started_at, node) VALUES (?, 'RUNNING', 'draft', 'active', ?, current_date, "
                + "current_date, now(), now(), 3, 10, 'test', now(), now(), ?)", id, version, "node-" + UUID.randomUUID());
        given().get("/api/v1/simulations/" + id).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("failureReason", containsString("interrupted"))
                .body("finishedAt", notNullValue());
        JsonPath again = awaitEnd(start(body("draft", "active")));
        assertEquals("DONE", again.getString("status"), again.prettify());
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        Map<String, Object> unknown = body(99999, "active");
        given().contentType(ContentType.JSON).body(unknown).post("/api/v1/simulations").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("/candidate"))
                .body("errors.find { it.field == '/candidate' }.message", containsString("99999"));
        Map<String, Object> badBaseline = body("draft", "newest");
        given().contentType(ContentType.JSON).body(badBaseline).post("/api/v1/simulations").then().statusCode(422)
                .body("errors.field", hasItem("/baseline"));
        Map<String, Object> reversed = body("draft", "active");
        reversed.put("from", "2026-11-30");
        reversed.put("to", "2026-11-01");
        given().contentType(ContentType.JSON).body(reversed).post("/api/v1/simulations").then().statusCode(422)
                .body("errors.field", equalTo(List.of("/to")));
        Map<String, Object> badEnum = body("draft", "active");
        badEnum.put("stage", "AFTER");
        badEnum.put("from", "2026-13-01");
        given().contentType(ContentType.JSON).body(badEnum).post("/api/v1/simulations").then().statusCode(422)
                .body("errors.find { it.field == '/stage' }.message", containsString("PRE_ORDER"))
                .body("errors.field", hasItem("/from"));
        given().contentType(ContentType.JSON).body(Map.of("candidate", "draft")).post("/api/v1/simulations").then().statusCode(422)
                .body("errors.field", hasItem("/from")).body("errors.field", hasItem("/to"));
        given().get("/api/v1/simulations/" + UUID.randomUUID()).then().statusCode(404);
        given().delete("/api/v1/simulations/not-an-id").then().statusCode(404);
        given().get("/api/v1/simulations?limit=0").then().statusCode(400).body("errors.field", hasItem("limit"));
    }
}
