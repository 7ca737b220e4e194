package com.preaudit.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rules for the rule-change tests (statistics fixes, exemptions, shadow rules). Each looks only at item codes starting
 * with its own CHGTEST prefix, so other tests' audits never see them fire, whatever version is active.
 */
public final class ChangeFixtures {

    /** BLOCK on CHGTEST-X lines. */
    public static final String BLOCK_RULE = "TEST-CHG-BLOCK";
    /** WARN on the same CHGTEST-X lines: a line flagged by two rules. */
    public static final String WARN_RULE = "TEST-CHG-WARN";
    /** INFO on CHGTEST-I lines: a notice, no money at risk. */
    public static final String INFO_RULE = "TEST-CHG-INFO";

    /** SHADOW at every stage on CHGTEST-S lines: evaluated and recorded, never answered. */
    public static final String SHADOW_RULE = "TEST-CHG-SHADOW";
    /** BLOCK on CHGTEST-E lines: the rule the exemption tests exempt. */
    public static final String EXEMPT_RULE = "TEST-CHG-EXEMPT";

    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put(BLOCK_RULE, rule("测试：拦截X", "BLOCK", "CHGTEST-X"));
        RULES.put(WARN_RULE, rule("测试：提醒X", "WARN", "CHGTEST-X"));
        RULES.put(INFO_RULE, rule("测试：提示I", "INFO", "CHGTEST-I"));
        RULES.put(EXEMPT_RULE, rule("测试：拦截E", "BLOCK", "CHGTEST-E"));
        RULES.put(SHADOW_RULE, rule("测试：试运行S", "SHADOW", "CHGTEST-S"));
    }

    private ChangeFixtures() {
    }

    private static String rule(String name, String action, String prefix) {
        return """
                {"name": "%s", "tier": "MANAGEMENT", "category": "测试", "resultType": "VIOLATION",
                 "actions": {"PRE_ORDER": "%s", "PRE_CHARGE": "%s", "PRE_SETTLEMENT": "%s"}, "scope": "LINE",
                 "when": "line.itemCode.startsWith('%s')", "message": "@{line.itemCode}：%s"}""".formatted(name, action, action, action,
                prefix, name);
    }

    /** Puts the test rules into the draft and publishes them, unless the active version has them already. */
    public static synchronized void ensureRulesActive() {
        Integer active = Api.activeVersion();
        if (active != null && RULES.keySet().stream()
                .allMatch(code -> given().get("/api/v1/rules/" + code + "?version=" + active).statusCode() == 200)) {
            return;
        }
        RULES.forEach((code, json) -> Api.putRule(code, json).then().statusCode(anyOf(equalTo(200), equalTo(201))));
        Api.publish("rule-change test rules");
    }

    public static Map<String, Object> line(String id, String itemCode, String itemName, Object amount) {
        Map<String, Object> l = HistoryFixtures.line(id, itemCode, "SERVICE", 1, amount, LocalDateTime.now().minusMinutes(1));
        l.put("itemName", itemName);
        return l;
    }

    public static Map<String, Object> audit(String patientId, String department, String doctor, List<Map<String, Object>> lines) {
        Map<String, Object> r = HistoryFixtures.audit("PRE_ORDER", patientId, "E-" + patientId, lines);
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) r.get("encounter");
        e.put("departmentCode", department);
        e.put("doctorId", doctor);
        return r;
    }

    public static Response post(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request).post("/api/v1/audits");
    }
}
