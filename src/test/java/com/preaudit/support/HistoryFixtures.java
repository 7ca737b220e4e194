package com.preaudit.support;

import com.preaudit.audit.AuditRequest;
import com.preaudit.engine.model.Stage;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rules and requests for the history, disposition, degraded-mode and restart tests. The test rules
 * only look at item codes starting with HISTTEST (and encounters starting with HISTENC), so other
 * tests' audits never see them fire, whatever version is active.
 */
public final class HistoryFixtures {

    /** LINE rule: the same HISTTEST item more than once on one day (request + stored history). */
    public static final String DAY_RULE = "TEST-HIST-DAY";
    /** ORDER rule: the HISTENC encounter's total (stored encounter lines + request) above 1000 元. */
    public static final String ENCOUNTER_RULE = "TEST-HIST-ENC";

    static final String DAY_RULE_JSON = """
            {"name": "测试：同日同项目累计数量", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "LINE",
             "when": "line.itemCode.startsWith('HISTTEST') && fn.quantityIn(line, 'DAY') > 1",
             "message": "@{line.itemCode}当日累计@{fn.quantityIn(line, 'DAY')}次"}""";

    static final String ENCOUNTER_RULE_JSON = """
            {"name": "测试：本次就诊总费用超1000元", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN", "PRE_CHARGE": "WARN", "PRE_SETTLEMENT": "WARN"}, "scope": "ORDER",
             "when": "encounter != null && encounter.id != null && encounter.id.startsWith('HISTENC') && fn.encounterTotal() > 1000",
             "message": "本次就诊累计费用@{fn.encounterTotal()}元，超过1000元"}""";

    private HistoryFixtures() {
    }

    /** Puts the test rules into the draft and publishes them, unless the active version has them already. */
    public static synchronized void ensureTestRulesActive() {
        Integer active = Api.activeVersion();
        boolean present = active != null
                && given().get("/api/v1/rules/" + DAY_RULE + "?version=" + active).statusCode() == 200
                && given().get("/api/v1/rules/" + ENCOUNTER_RULE + "?version=" + active).statusCode() == 200;
        if (present) {
            return;
        }
        Api.putRule(DAY_RULE, DAY_RULE_JSON).then().statusCode(anyOf(equalTo(200), equalTo(201)));
        Api.putRule(ENCOUNTER_RULE, ENCOUNTER_RULE_JSON).then().statusCode(anyOf(equalTo(200), equalTo(201)));
        Api.publish("history test rules");
    }

    /** A SERVICE line of quantity 1 for the history lookup tests (which call the lookup without HTTP). */
    public static AuditRequest.LineDto lineDto(String id, String code, LocalDateTime at) {
        return new AuditRequest.LineDto(id, code, null, "SERVICE", BigDecimal.ONE, null, null, null, at,
                null, null, null, null, null, null, null, null);
    }

    /** A PRE_ORDER request of a woman born 1970 with these lines (and this encounter, unless null). */
    public static AuditRequest lookupRequest(String patient, String encounter, AuditRequest.LineDto... lines) {
        return new AuditRequest(null, Stage.PRE_ORDER, null, null,
                new AuditRequest.PatientDto(patient, "F", LocalDate.of(1970, 1, 1), null, null, null),
                encounter == null ? null : new AuditRequest.EncounterDto(encounter, null, null, null, null, null),
                List.of(lines), null);
    }

    /**
     * A PRE_ORDER request of a man born 1951 for a levonorgestrel IUD ordered now: the default catalog's
     * drug-gender rule blocks it, so the answer has a finding (for the audit-service tests, without HTTP).
     */
    public static AuditRequest maleIud(String patient) {
        AuditRequest.LineDto line = new AuditRequest.LineDto("L1", "XG02BAZ061Z007010279543",
                "左炔诺孕酮宫内节育系统", "DRUG", BigDecimal.ONE, null, null, new BigDecimal("1153.00"),
                LocalDateTime.now(), null, null, null, null, null, null, null, null);
        return new AuditRequest(null, Stage.PRE_ORDER, null, null,
                new AuditRequest.PatientDto(patient, "M", LocalDate.of(1951, 8, 27), null, null, null),
                null, List.of(line), null);
    }

    public static Map<String, Object> line(String id, String itemCode, Object quantity, LocalDateTime at) {
        return line(id, itemCode, "SERVICE", quantity, 10, at);
    }

    public static Map<String, Object> line(String id, String itemCode, String itemType, Object quantity, Object amount, LocalDateTime at) {
        Map<String, Object> l = new java.util.LinkedHashMap<>();
        l.put("id", id);
        l.put("itemCode", itemCode);
        l.put("itemName", itemCode);
        l.put("itemType", itemType);
        l.put("quantity", quantity);
        l.put("amount", amount);
        l.put("orderedAt", at.withNano(0).toString());
        return l;
    }

    public static Map<String, Object> audit(String stage, String patientId, String encounterId, List<Map<String, Object>> lines) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("stage", stage);
        r.put("scenario", "INPATIENT");
        r.put("hospital", Map.of("id", "H1", "level", 3));
        r.put("patient", Map.of("id", patientId, "gender", "F", "birthDate", "1960-05-05", "insuranceType", "EMPLOYEE"));
        if (encounterId != null) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("id", encounterId);
            e.put("admittedAt", LocalDateTime.now().minusDays(30).withNano(0).toString());
            e.put("departmentCode", "D-HIST");
            e.put("doctorId", "DOC-HIST");
            r.put("encounter", e);
        }
        r.put("lines", lines);
        return r;
    }

    /**
     * A request of a woman born on {@code birthDate} in encounter "E-" + patient, ordered by this department and doctor
     * (no hospital, no insurance type): what the statistics and simulations group by.
     */
    public static Map<String, Object> encounterAudit(String stage, String scenario, String patientId, String birthDate,
                                                     String department, String doctor, List<Map<String, Object>> lines) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("stage", stage);
        r.put("scenario", scenario);
        r.put("patient", Map.of("id", patientId, "gender", "F", "birthDate", birthDate));
        r.put("encounter", Map.of("id", "E-" + patientId, "departmentCode", department, "doctorId", doctor));
        r.put("lines", lines);
        return r;
    }

    public static Response postAudit(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request).post("/api/v1/audits");
    }

    public static Response postCharges(String patientId, String encounterId, List<Map<String, Object>> lines) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("patientId", patientId);
        body.put("encounterId", encounterId);
        body.put("lines", lines);
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/charges");
    }

    /** Rule codes of the findings in an audit answer. */
    public static List<String> ruleCodes(Response audit) {
        return new ArrayList<>(audit.then().extract().jsonPath().getList("findings.ruleCode", String.class));
    }
}
