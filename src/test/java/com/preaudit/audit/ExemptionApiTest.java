package com.preaudit.audit;

import com.preaudit.support.Await;
import com.preaudit.support.ChangeFixtures;
import com.preaudit.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 特批/备案 as the insurance office uses them: grant, the next audit passes; expiry and revoke block again. */
@QuarkusTest
class ExemptionApiTest {

    static final LocalDate TODAY = LocalDate.now();

    @BeforeEach
    void rules() {
        ChangeFixtures.ensureRulesActive();
    }

    private static JsonPath audit(String patient, String... items) {
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            lines.add(ChangeFixtures.line("l" + (i + 1), items[i], "测试项目" + items[i], 100));
        }
        return ChangeFixtures.post(ChangeFixtures.audit(patient, "D-EX", "DOC-EX", lines)).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> grant(String patient, String item, LocalDate from, LocalDate to) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patientId", patient);
        body.put("ruleCode", ChangeFixtures.EXEMPT_RULE);
        if (item != null) {
            body.put("itemCode", item);
        }
        body.put("validFrom", from.toString());
        body.put("validTo", to.toString());
        body.put("reason", "医保办审批：临床必需");
        body.put("approvalNo", "YB-" + patient);
        return body;
    }

    private static String post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/exemptions").then().statusCode(201)
                .body("id", notNullValue()).extract().path("id");
    }

    private static String ruleFinding(JsonPath a, String item, String field) {
        return a.getString("findings.find { it.ruleCode == '" + ChangeFixtures.EXEMPT_RULE + "' && it.itemCodes == ['" + item + "'] }." + field);
    }

    @Test
    void aGrantTurnsTheBlockIntoANoticeAndTheAuditPasses() throws Exception {
        String patient = "P-EX-" + UUID.randomUUID();
        JsonPath before = audit(patient, "CHGTEST-E1");
        assertEquals("BLOCK", before.getString("decision"));

        String id = post(grant(patient, "CHGTEST-E1", TODAY.minusDays(1), TODAY.plusDays(30)));
        JsonPath after = audit(patient, "CHGTEST-E1");
        assertEquals("PASS", after.getString("decision"), after.prettify());
        assertEquals("INFO", ruleFinding(after, "CHGTEST-E1", "action"));
        assertEquals(id, ruleFinding(after, "CHGTEST-E1", "exemptionId"));
        assertTrue(ruleFinding(after, "CHGTEST-E1", "message").contains("已特批/备案"), after.prettify());

        // the grant names one item: the same rule on another item still blocks, and another patient is not exempted
        JsonPath other = audit(patient, "CHGTEST-E1", "CHGTEST-E2");
        assertEquals("BLOCK", other.getString("decision"));
        assertEquals("BLOCK", ruleFinding(other, "CHGTEST-E2", "action"));
        assertEquals(null, ruleFinding(other, "CHGTEST-E2", "exemptionId"));
        assertEquals("BLOCK", audit("P-EX-OTHER-" + UUID.randomUUID(), "CHGTEST-E1").getString("decision"));

        given().get("/api/v1/exemptions?patientId=" + patient + "&active=true").then().statusCode(200)
                .body("id", equalTo(List.of(id))).body("[0].ruleCode", equalTo(ChangeFixtures.EXEMPT_RULE))
                .body("[0].itemCode", equalTo("CHGTEST-E1")).body("[0].active", equalTo(true)).body("[0].grantedBy", notNullValue());

        // statistics count it as exempted, and put none of its money at risk
        String today = TODAY.toString();
        Map<String, Object> row = Await.until(() -> given().get("/api/v1/stats/findings?from=" + today + "&to=" + today
                                + "&groupBy=doctor&limit=1000").then().statusCode(200).extract().jsonPath()
                        .<String, Object>getMap("find { it.key == 'DOC-EX' }"),
                r -> r != null && ((Number) r.get("exempted")).longValue() >= 1, Duration.ofSeconds(10), Duration.ofMillis(100));
        assertTrue(((Number) row.get("exempted")).longValue() >= 1, String.valueOf(row));
    }

    @Test
    void anExemptionWithoutAnItemCoversEveryItemOfTheRule() {
        String patient = "P-EX-ALL-" + UUID.randomUUID();
        post(grant(patient, null, TODAY, TODAY));
        JsonPath a = audit(patient, "CHGTEST-E1", "CHGTEST-E2");
        assertEquals("PASS", a.getString("decision"), a.prettify());
        assertEquals(List.of("INFO"), a.getList("findings.findAll { it.ruleCode == '" + ChangeFixtures.EXEMPT_RULE + "' }.action").stream()
                .distinct().toList());
    }

    @Test
    void anExpiredExemptionBlocksAgain() throws Exception {
        String patient = "P-EX-EXP-" + UUID.randomUUID();
        String id = post(grant(patient, "CHGTEST-E1", TODAY.minusDays(10), TODAY));
        assertEquals("PASS", audit(patient, "CHGTEST-E1").getString("decision"));
        // a day later: the period ended yesterday (the rows are moved back in time instead of the clock forward)
        assertEquals(1, Db.update("UPDATE exemption SET valid_from = valid_from - 1, valid_to = valid_to - 1 WHERE id = ?::uuid", id));
        JsonPath after = audit(patient, "CHGTEST-E1");
        assertEquals("BLOCK", after.getString("decision"));
        assertEquals(null, ruleFinding(after, "CHGTEST-E1", "exemptionId"));
        given().get("/api/v1/exemptions?patientId=" + patient + "&active=true").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/exemptions?patientId=" + patient).then().statusCode(200).body("[0].active", equalTo(false));
        // one that has not begun yet does not count either
        post(grant(patient, "CHGTEST-E1", TODAY.plusDays(1), TODAY.plusDays(5)));
        assertEquals("BLOCK", audit(patient, "CHGTEST-E1").getString("decision"));
    }

    @Test
    void aRevokedExemptionBlocksAgainAndBothAreInTheChangeLog() throws Exception {
        String patient = "P-EX-REV-" + UUID.randomUUID();
        String id = post(grant(patient, "CHGTEST-E1", TODAY, TODAY.plusDays(30)));
        assertEquals("PASS", audit(patient, "CHGTEST-E1").getString("decision"));
        given().delete("/api/v1/exemptions/" + id).then().statusCode(204);
        assertEquals("BLOCK", audit(patient, "CHGTEST-E1").getString("decision"));
        given().delete("/api/v1/exemptions/" + id).then().statusCode(204);   // revoking twice changes nothing
        given().get("/api/v1/exemptions/" + id).then().statusCode(200).body("active", equalTo(false))
                .body("revokedAt", notNullValue()).body("revokedBy", notNullValue());
        given().delete("/api/v1/exemptions/" + UUID.randomUUID()).then().statusCode(404);
        given().delete("/api/v1/exemptions/not-an-id").then().statusCode(404);

        assertEquals(List.of("exemption.grant", "exemption.revoke"),
                Db.list("SELECT action FROM change_log WHERE target = ? ORDER BY id", rs -> rs.getString(1), "exemption/" + id));
    }

    @Test
    void aGrantWrittenThroughAnotherNodeCountsInTheNextAuditHere() throws Exception {
        String patient = "P-EX-NODE-" + UUID.randomUUID();
        // this node audits the patient first, so it holds a copy of the patient's history at its version
        assertEquals("BLOCK", audit(patient, "CHGTEST-E1").getString("decision"));
        // another node grants: its row reaches the shared database, nothing reaches this node
        String id = UUID.randomUUID().toString();
        assertEquals(1, Db.update("INSERT INTO exemption(id, patient_id, rule_code, item_code, valid_from, valid_to, reason, granted_by, "
                + "granted_at) VALUES (?::uuid, ?, ?, 'CHGTEST-E1', current_date - 1, current_date + 1, '另一节点', 'node-b', now())",
                id, patient, ChangeFixtures.EXEMPT_RULE));
        JsonPath after = audit(patient, "CHGTEST-E1");
        assertEquals("PASS", after.getString("decision"));
        assertEquals(id, ruleFinding(after, "CHGTEST-E1", "exemptionId"));
        // and a revoke made there likewise
        assertEquals(1, Db.update("UPDATE exemption SET revoked_at = now(), revoked_by = 'node-b' WHERE id = ?::uuid", id));
        assertEquals("BLOCK", audit(patient, "CHGTEST-E1").getString("decision"));
    }

    @Test
    void invalidGrantsNameTheFieldAndStoreNothing() {
        String patient = "P-EX-BAD-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/exemptions").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("/patientId", "/ruleCode", "/validFrom", "/validTo", "/reason"));
        Map<String, Object> backwards = grant(patient, null, TODAY, TODAY.minusDays(1));
        given().contentType(ContentType.JSON).body(backwards).post("/api/v1/exemptions").then().statusCode(422)
                .body("errors.field", equalTo(List.of("/validTo")));
        Map<String, Object> badDate = grant(patient, null, TODAY, TODAY);
        badDate.put("validFrom", "2026-02-30");
        given().contentType(ContentType.JSON).body(badDate).post("/api/v1/exemptions").then().statusCode(422)
                .body("errors.field", equalTo(List.of("/validFrom"))).body("errors[0].message", containsString("yyyy-MM-dd"));
        Map<String, Object> unknownRule = grant(patient, null, TODAY, TODAY);
        unknownRule.put("ruleCode", "NO-SUCH-RULE");
        given().contentType(ContentType.JSON).body(unknownRule).post("/api/v1/exemptions").then().statusCode(422)
                .body("errors.field", equalTo(List.of("/ruleCode")));
        given().contentType(ContentType.JSON).body("{\"patientId\": [1]}").post("/api/v1/exemptions").then().statusCode(400);
        given().get("/api/v1/exemptions?patientId=" + patient).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/exemptions?active=maybe").then().statusCode(400).body("errors.field", hasItem("active"));
        given().get("/api/v1/exemptions/" + UUID.randomUUID()).then().statusCode(404).body("status", equalTo(404));
        assertEquals("BLOCK", audit(patient, "CHGTEST-E1").getString("decision"));
        given().get("/api/v1/exemptions?patientId=" + patient).then().body("[0]", nullValue());
    }
}
