package com.preaudit.audit;

import com.preaudit.support.HistoryFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.DAY_RULE;
import static com.preaudit.support.HistoryFixtures.ENCOUNTER_RULE;
import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postAudit;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static com.preaudit.support.HistoryFixtures.ruleCodes;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charges posted through POST /charges reach later audits of the patient, on the same day and on the next. */
@QuarkusTest
class HistoryAuditTest {

    private static final LocalDate DAY1 = LocalDate.now().minusDays(2);
    private static final LocalDate DAY2 = LocalDate.now().minusDays(1);

    private static final String FREQUENCY = "GZ10000102014000";   // 住院诊查费 at most once a day
    private static final String DUPLICATE = "GZ10000102012000";   // 急诊监护费 + 急诊诊查费 on one day
    private static final String CYCLE = "GZ2025031";              // 糖化血红蛋白 at most every 60 days

    @BeforeEach
    void rules() {
        HistoryFixtures.ensureTestRulesActive();
    }

    private static String patient() {
        return "P-HIST-" + UUID.randomUUID();
    }

    private static Response auditOne(String stage, String p, String encounter, Map<String, Object> line) {
        return postAudit(audit(stage, p, encounter, List.of(line))).then().statusCode(200).body("degraded", equalTo(false)).extract().response();
    }

    /** Stores one charged line of the patient, as the HIS does after charging. */
    private static void charge(String p, String encounter, Map<String, Object> line) {
        postCharges(p, encounter, List.of(line)).then().statusCode(200).body("recorded", equalTo(1));
    }

    /** Asserts that the audit has a finding of the rule; returns the JSON path of that finding. */
    private static String fired(Response audit, String rule) {
        assertTrue(ruleCodes(audit).contains(rule), audit.asString());
        return "findings.find { it.ruleCode == '" + rule + "' }";
    }

    private static void silent(Response audit, String rule) {
        assertFalse(ruleCodes(audit).contains(rule), audit.asString());
    }

    @Test
    void storedChargeCountsOnTheSameDayOnlyAndNotAfterARefund() {
        String p = patient();
        charge(p, "E1", line("h1", "HISTTEST-A", 1, DAY1.atTime(8, 0)));

        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "HISTTEST-A", 1, DAY1.atTime(14, 0)));
        String finding = fired(sameDay, DAY_RULE);
        sameDay.then().body(finding + ".lineIds", equalTo(List.of("n1")))
                .body(finding + ".message", containsString("当日累计2次"))
                .body("decision", equalTo("WARN"));

        silent(auditOne("PRE_CHARGE", p, "E1", line("n2", "HISTTEST-A", 1, DAY2.atTime(9, 0))), DAY_RULE);

        // the caller sends the stored line as history too: counted once (union by line id)
        Map<String, Object> request = audit("PRE_CHARGE", p, "E1", List.of(line("n3", "HISTTEST-A", 1, DAY1.atTime(15, 0))));
        request.put("history", List.of(line("h1", "HISTTEST-A", 1, DAY1.atTime(8, 0))));
        postAudit(request).then().statusCode(200).body(finding + ".message", containsString("当日累计2次"));

        // 退费: the refunded line is no history any more
        given().delete("/api/v1/charges/" + p + "/h1").then().statusCode(204);
        silent(auditOne("PRE_CHARGE", p, "E1", line("n4", "HISTTEST-A", 1, DAY1.atTime(16, 0))), DAY_RULE);
    }

    @Test
    void aChargePostedAfterAnAuditCountsInTheNextAudit() {
        // the first audit leaves this node with a copy of the patient's lines; the charge changes them
        String p = patient();
        charge(p, "E1", line("h1", "HISTTEST-B", 1, DAY1.atTime(7, 0)));
        silent(auditOne("PRE_CHARGE", p, "E1", line("n1", "HISTTEST-A", 1, DAY1.atTime(9, 0))), DAY_RULE);

        charge(p, "E1", line("h2", "HISTTEST-A", 1, DAY1.atTime(8, 0)));
        fired(auditOne("PRE_CHARGE", p, "E1", line("n2", "HISTTEST-A", 1, DAY1.atTime(10, 0))), DAY_RULE);
    }

    @Test
    void anotherPatientsChargesAreNotHistory() {
        String p = patient();
        charge(p, null, line("h1", "HISTTEST-B", 1, DAY1.atTime(8, 0)));
        silent(auditOne("PRE_ORDER", patient(), null, line("n1", "HISTTEST-B", 1, DAY1.atTime(9, 0))), DAY_RULE);
        fired(auditOne("PRE_ORDER", p, null, line("n1", "HISTTEST-B", 1, DAY1.atTime(9, 0))), DAY_RULE);
    }

    @Test
    void encounterLinesOfOtherItemsAndDaysCountForEncounterTotals() {
        String p = patient();
        String enc = "HISTENC-" + UUID.randomUUID();
        charge(p, enc, line("old", "ZZENC-OLD-ITEM", "MATERIAL", 1, 900, LocalDateTime.now().minusDays(20)));
        Map<String, Object> now = line("n1", "HISTTEST-E", "SERVICE", 1, 200, LocalDateTime.now().minusHours(1));

        Response inEncounter = postAudit(audit("PRE_ORDER", p, enc, List.of(now))).then().statusCode(200).extract().response();
        inEncounter.then().body(fired(inEncounter, ENCOUNTER_RULE) + ".message", containsString("1100"));

        silent(postAudit(audit("PRE_ORDER", p, "HISTENC-other-" + UUID.randomUUID(), List.of(now))).then().statusCode(200).extract().response(),
                ENCOUNTER_RULE);
    }

    // --- the default catalog's history rules, driven by stored charges

    @Test
    void frequencyPerDayFiresOnTheSecondChargeOfTheDayOnly() {
        String p = patient();
        charge(p, "E1", line("h1", "001102000050000", 1, DAY1.atTime(8, 0)));
        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "001102000050000", 1, DAY1.atTime(16, 0)));
        sameDay.then().body(fired(sameDay, FREQUENCY) + ".action", equalTo("BLOCK")).body("decision", equalTo("BLOCK"));
        silent(auditOne("PRE_CHARGE", p, "E1", line("n2", "001102000050000", 1, DAY2.atTime(8, 0))), FREQUENCY);
    }

    @Test
    void duplicateChargePairFiresOnTheSameDayOnly() {
        String p = patient();
        charge(p, "E1", line("h1", "001103000010000", 1, DAY1.atTime(9, 0)));
        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "001102000030000", 1, DAY1.atTime(10, 0)));
        sameDay.then().body(fired(sameDay, DUPLICATE) + ".lineIds", equalTo(List.of("n1")));
        silent(auditOne("PRE_CHARGE", p, "E1", line("n2", "001102000030000", 1, DAY2.atTime(10, 0))), DUPLICATE);
    }

    @Test
    void cycleFrequencyLooksBackOverWeeks() {
        String p = patient();
        charge(p, null, line("h1", "002503020030000", 1, LocalDateTime.now().minusDays(30)));
        Response soon = auditOne("PRE_ORDER", p, null, line("n1", "002503020030000", 1, LocalDateTime.now().minusMinutes(5)));
        soon.then().body(fired(soon, CYCLE) + ".action", equalTo("WARN"));

        String q = patient();
        charge(q, null, line("h1", "002503020030000", 1, LocalDateTime.now().minusDays(70)));
        silent(auditOne("PRE_ORDER", q, null, line("n1", "002503020030000", 1, LocalDateTime.now().minusMinutes(5))), CYCLE);
    }
}
