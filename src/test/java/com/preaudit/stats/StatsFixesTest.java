package com.preaudit.stats;

import com.preaudit.support.Await;
import com.preaudit.support.ChangeFixtures;
import io.quarkus.test.junit.QuarkusTest;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The statistics as a 医保科 reads them after real audits: money at risk per line, names, SUSPICIOUS reminders. */
@QuarkusTest
class StatsFixesTest {

    private static Map<String, Object> row(String groupBy, String key, long findings) throws Exception {
        String today = LocalDate.now().toString();
        String path = "/api/v1/stats/findings?from=" + today + "&to=" + today + "&groupBy=" + groupBy + "&limit=1000";
        List<Map<String, Object>> rows = Await.until(() -> given().get(path).then().statusCode(200).extract().jsonPath()
                        .<Map<String, Object>>getList("findAll { it.key == '" + key + "' }"),
                r -> !r.isEmpty() && ((Number) r.get(0).get("findings")).longValue() >= findings, Duration.ofSeconds(10), Duration.ofMillis(100));
        assertEquals(1, rows.size(), key + " rows: " + rows);
        return rows.get(0);
    }

    private static BigDecimal money(Map<String, Object> row) {
        return new BigDecimal(row.get("amountAtRisk").toString());
    }

    @Test
    void aLineFlaggedByTwoRulesIsAtRiskOnceAndNoticesAreNotAtRisk() throws Exception {
        ChangeFixtures.ensureRulesActive();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String doctor = "DOC-MONEY-" + tag;
        ChangeFixtures.post(ChangeFixtures.audit("P-MONEY-" + tag, "D-MONEY-" + tag, doctor, List.of(
                        ChangeFixtures.line("l1", "CHGTEST-X1", "心脏支架", 19000),
                        ChangeFixtures.line("l2", "CHGTEST-I1", "普通护理", 500))))
                .then().statusCode(200).body("decision", equalTo("BLOCK"))
                .body("findings.findAll { it.lineIds == ['l1'] }.size()", equalTo(2));
        Map<String, Object> r = row("doctor", doctor, 3);
        assertEquals(3, ((Number) r.get("findings")).longValue(), "two rules on l1, a notice on l2: " + r);
        // (the order stays under LOCAL-AMOUNT's 20,000 元 request total, which would flag both lines)
        assertEquals(0, new BigDecimal("19000").compareTo(money(r)), "one 19,000 元 line, the notice not at risk: " + r);
        Map<String, Object> dept = row("department", "D-MONEY-" + tag, 3);
        assertEquals(0, new BigDecimal("19000").compareTo(money(dept)), dept.toString());
        // ranked by rule, each rule has the line once
        Map<String, Object> info = row("rule", ChangeFixtures.INFO_RULE, 1);
        assertNotNull(info);
    }

    @Test
    void rowsCarryTheNamesOfTheLatestAuditThatNamedThem() throws Exception {
        ChangeFixtures.ensureRulesActive();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String dept = "D-NAME-" + tag;
        String doctor = "DOC-NAME-" + tag;
        String item = "CHGTEST-X-" + tag;
        postNamed("P-NAME-" + tag, dept, doctor, item, "旧名称", "心内科", "张医生");
        row("department", dept, 2);
        postNamed("P-NAME2-" + tag, dept, doctor, item, "冠脉支架", "心血管内科", "张三");
        // a third audit that names nothing does not erase the names
        ChangeFixtures.post(ChangeFixtures.audit("P-NAME3-" + tag, dept, doctor, List.of(ChangeFixtures.line("l1", item, null, 10))))
                .then().statusCode(200);
        assertEquals("心血管内科", row("department", dept, 6).get("name"));
        assertEquals("张三", row("doctor", doctor, 6).get("name"));
        assertEquals("冠脉支架", row("item", item, 6).get("name"));
        assertEquals("测试：拦截X", row("rule", ChangeFixtures.BLOCK_RULE, 3).get("name"));
    }

    /** An audit of one line whose item, department and doctor are named as given. */
    private static void postNamed(String patient, String dept, String doctor, String item, String itemName, String deptName,
                                  String doctorName) {
        Map<String, Object> audit = ChangeFixtures.audit(patient, dept, doctor, List.of(ChangeFixtures.line("l1", item, itemName, 10)));
        @SuppressWarnings("unchecked")
        Map<String, Object> encounter = (Map<String, Object>) audit.get("encounter");
        encounter.put("departmentName", deptName);
        encounter.put("doctorName", doctorName);
        ChangeFixtures.post(audit).then().statusCode(200);
    }

    @Test
    void anIndicationThatCodesCannotDecideIsSuspiciousNotAViolation() {
        // 阿瑞匹坦注射液: the knowledge point gives no diagnosis codes (限放化疗): a reminder to confirm, NHSA sev_deg 2
        Map<String, Object> undecided = ChangeFixtures.audit("P-IND-" + UUID.randomUUID(), "D1", "DOC1",
                List.of(ChangeFixtures.line("l1", "XA04ADA285B002010102180", "阿瑞匹坦注射液", 100)));
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) undecided.get("encounter");
        e.put("diagnoses", List.of(Map.of("code", "C50.900", "name", "乳腺恶性肿瘤", "primary", true)));
        @SuppressWarnings("unchecked")
        Map<String, Object> l = ((List<Map<String, Object>>) undecided.get("lines")).get(0);
        l.put("itemType", "DRUG");
        JsonPath a = ChangeFixtures.post(undecided).then().statusCode(200).extract().jsonPath();
        assertEquals("SUSPICIOUS", a.getString("findings.find { it.ruleCode == 'GZ10000101008000' }.resultType"));
        // 艾塞那肽注射液 is restricted to type 2 diabetes (E11): without it the code decides, a clear violation
        l.put("itemCode", "XA10BJA085B002010106474");
        l.put("itemName", "艾塞那肽注射液");
        e.put("diagnoses", List.of(Map.of("code", "I10.x00", "name", "高血压", "primary", true)));
        undecided.put("patient", Map.of("id", "P-IND2-" + UUID.randomUUID(), "gender", "F", "birthDate", "1960-05-05",
                "insuranceType", "EMPLOYEE"));
        JsonPath b = ChangeFixtures.post(undecided).then().statusCode(200).extract().jsonPath();
        assertEquals("VIOLATION", b.getString("findings.find { it.ruleCode == 'GZ10000101008000' }.resultType"));

    }
}
