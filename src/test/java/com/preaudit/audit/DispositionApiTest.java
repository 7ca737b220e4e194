package com.preaudit.audit;

import com.preaudit.support.HistoryFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.DAY_RULE;
import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postAudit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class DispositionApiTest {

    @BeforeEach
    void rules() {
        HistoryFixtures.ensureTestRulesActive();
    }

    /** An audit with two findings of the test rule (two HISTTEST items, each twice on one day). */
    private static Response auditWithFindings() {
        LocalDateTime at = LocalDateTime.now().minusHours(2);
        return postAudit(audit("PRE_ORDER", "P-DSP-" + UUID.randomUUID(), "E1",
                List.of(line("l1", "HISTTEST-D1", 2, at), line("l2", "HISTTEST-D2", 3, at))))
                .then().statusCode(200).body("findings.findAll { it.ruleCode == '" + DAY_RULE + "' }", hasSize(2)).extract().response();
    }

    private static List<String> findingIds(Response audit) {
        return audit.jsonPath().getList("findings.findAll { it.ruleCode == '" + DAY_RULE + "' }.id", String.class);
    }

    private static Response post(String auditId, Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/audits/" + auditId + "/dispositions");
    }

    private static Map<String, Object> item(String findingId, String disposition, String reason) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("findingId", findingId);
        m.put("disposition", disposition);
        if (reason != null) {
            m.put("reason", reason);
        }
        m.put("by", "00129");
        return m;
    }

    @Test
    void dispositionsAreStoredAndShownWithTheAudit() {
        Response a = auditWithFindings();
        String auditId = a.path("auditId");
        List<String> f = findingIds(a);
        // right after the answer the audit may still be in the writer's queue: accepted all the same
        post(auditId, Map.of("items", List.of(item(f.get(0), "OVERRIDDEN", "患者已确诊，临床必需"), item(f.get(1), "SELF_PAY", null))))
                .then().statusCode(204);
        given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("dispositions", hasSize(2))
                .body("dispositions.find { it.findingId == '" + f.get(0) + "' }.disposition", equalTo("OVERRIDDEN"))
                .body("dispositions.find { it.findingId == '" + f.get(0) + "' }.reason", equalTo("患者已确诊，临床必需"))
                .body("dispositions.find { it.findingId == '" + f.get(0) + "' }.by", equalTo("00129"))
                .body("dispositions.find { it.findingId == '" + f.get(1) + "' }.disposition", equalTo("SELF_PAY"));
        // the doctor changes his mind later: a second disposition of the same finding is kept too
        post(auditId, Map.of("items", List.of(item(f.get(0), "MODIFIED", null)))).then().statusCode(204);
        given().get("/api/v1/audits/" + auditId).then().statusCode(200).body("dispositions", hasSize(3))
                .body("dispositions[-1].disposition", equalTo("MODIFIED"));
    }

    @Test
    void overrideNeedsAReason() {
        Response a = auditWithFindings();
        String auditId = a.path("auditId");
        List<String> f = findingIds(a);
        post(auditId, Map.of("items", List.of(item(f.get(0), "MODIFIED", null), item(f.get(1), "OVERRIDDEN", "  "))))
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", contains("/items/1/reason"));
        given().get("/api/v1/audits/" + auditId).then().statusCode(200).body("dispositions", hasSize(0));
    }

    @Test
    void unknownAuditIs404() {
        post(UUID.randomUUID().toString(), Map.of("items", List.of(item(UUID.randomUUID().toString(), "MODIFIED", null))))
                .then().statusCode(404).contentType("application/problem+json");
        post("not-an-id", Map.of("items", List.of(item(UUID.randomUUID().toString(), "MODIFIED", null)))).then().statusCode(404);
    }

    @Test
    void findingsOfAnotherAuditOrMalformedItemsAre422() {
        Response a = auditWithFindings();
        Response b = auditWithFindings();
        String auditId = a.path("auditId");
        List<String> mine = findingIds(a);
        List<String> theirs = findingIds(b);
        post(auditId, Map.of("items", List.of(item(mine.get(0), "MODIFIED", null), item(theirs.get(0), "MODIFIED", null),
                item(UUID.randomUUID().toString(), "SELF_PAY", null))))
                .then().statusCode(422).body("errors.field", contains("/items/1/findingId", "/items/2/findingId"));
        post(auditId, Map.of("items", List.of(item("f1", "MODIFIED", null), item(mine.get(0), "IGNORED", null),
                item(mine.get(1), "MODIFIED", null), item(mine.get(1), "SELF_PAY", null))))
                .then().statusCode(422)
                .body("errors.field", containsInAnyOrder("/items/0/findingId", "/items/1/disposition", "/items/3/findingId"));
        post(auditId, Map.of("items", List.of())).then().statusCode(422).body("errors.field", contains("/items"));
        post(auditId, "{\"items\": 5}").then().statusCode(400);
        given().get("/api/v1/audits/" + auditId).then().statusCode(200).body("dispositions", hasSize(0));
    }
}
