package com.preaudit.audit;

import com.preaudit.support.Db;
import com.preaudit.support.Await;
import com.preaudit.support.ChangeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rule run silently first (试运行): its findings are stored and counted, never answered, never in the decision. */
@QuarkusTest
class ShadowRuleTest {


    /** Each stored finding of the audit as (rule code, action, shadow). */
    private static List<List<String>> storedFindings(String auditId) {
        return Db.list("SELECT rule_code, action, shadow::text FROM audit_finding WHERE audit_id = ?::uuid",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)), auditId);
    }

    @Test
    void shadowFindingsAreStoredAndCountedButNeverAnswered() throws Exception {
        ChangeFixtures.ensureRulesActive();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String doctor = "DOC-SHADOW-" + tag;
        JsonPath a = ChangeFixtures.post(ChangeFixtures.audit("P-SHADOW-" + tag, "D-SHADOW-" + tag, doctor,
                        List.of(ChangeFixtures.line("l1", "CHGTEST-S1", "试运行项目", 300))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals("PASS", a.getString("decision"), a.prettify());
        assertFalse(a.getList("findings.ruleCode").contains(ChangeFixtures.SHADOW_RULE), a.prettify());
        assertFalse(a.prettify().contains("SHADOW"), "nothing of the shadow rule reaches the caller: " + a.prettify());
        String auditId = a.getString("auditId");

        List<List<String>> stored = Await.until(() -> storedFindings(auditId), rows -> !rows.isEmpty(), Duration.ofSeconds(10), Duration.ofMillis(50));
        assertEquals(1, stored.size());
        assertEquals(List.of(ChangeFixtures.SHADOW_RULE, "SHADOW", "true"), stored.get(0));
        given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("response.findings.ruleCode", not(hasItem(ChangeFixtures.SHADOW_RULE)));

        String today = LocalDate.now().toString();
        String range = "/api/v1/stats/findings?from=" + today + "&to=" + today + "&limit=1000";
        Map<String, Object> byDoctor = given().get(range + "&groupBy=doctor").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.key == '" + doctor + "' }");
        assertEquals(0, ((Number) byDoctor.get("findings")).intValue(), byDoctor.toString());
        assertEquals(1, ((Number) byDoctor.get("shadowFindings")).intValue(), byDoctor.toString());
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(byDoctor.get("amountAtRisk").toString())), byDoctor.toString());

        // ranked alone: only the shadow rules, with what they would have put at risk
        List<Map<String, Object>> only = given().get(range + "&groupBy=doctor&shadow=only").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.key == '" + doctor + "' }");
        assertEquals(1, only.size());
        assertEquals(1, ((Number) only.get(0).get("findings")).intValue());
        assertEquals(0, new BigDecimal("300").compareTo(new BigDecimal(only.get(0).get("amountAtRisk").toString())), only.toString());
        List<String> rules = given().get(range + "&groupBy=rule&shadow=only").then().statusCode(200).extract().jsonPath().getList("key");
        assertTrue(rules.contains(ChangeFixtures.SHADOW_RULE), rules.toString());
        assertFalse(rules.contains(ChangeFixtures.BLOCK_RULE), rules.toString());
        given().get(range + "&shadow=sometimes").then().statusCode(400).body("errors.field", hasItem("shadow"));
    }

    @Test
    void aShadowRuleIsValidAndItsDryRunShowsWhatItFinds() {
        ChangeFixtures.ensureRulesActive();
        given().contentType(ContentType.JSON).body("""
                        {"code": "X-SHADOW", "name": "试运行", "resultType": "VIOLATION", "actions": {"PRE_ORDER": "SHADOW", "PRE_CHARGE": "BLOCK"},
                         "scope": "LINE", "when": "line.quantity > 1", "message": "数量@{line.quantity}"}""")
                .post("/api/v1/rules/validate").then().statusCode(200).body("valid", equalTo(true));
        Map<String, Object> request = ChangeFixtures.audit("P-SHADOW-DRY", "D1", "DOC1", List.of(ChangeFixtures.line("l1", "CHGTEST-S1", "试运行项目", 300)));
        given().contentType(ContentType.JSON).body(Map.of("requests", List.of(request)))
                .post("/api/v1/rules/" + ChangeFixtures.SHADOW_RULE + "/test").then().statusCode(200)
                .body("results[0].decision", equalTo("PASS"))
                .body("results[0].findings[0].action", equalTo("SHADOW"));
    }
}
