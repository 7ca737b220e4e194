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

    @Test
    void storedChargeCountsOnTheSameDayOnlyAndNotAfterARefund() {
        String p = patient();
        postCharges(p, "E1", List.of(line("h1", "HISTTEST-A", 1, DAY1.atTime(8, 0)))).then().statusCode(200).body("recorded", equalTo(1));

        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "HISTTEST-A", 1, DAY1.atTime(14, 0)));
        assertTrue(ruleCodes(sameDay).contains(DAY_RULE), sameDay.asString());
        sameDay.then().body("findings.find { it.ruleCode == '" + DAY_RULE + "' }.lineIds", equalTo(List.of("n1")))
                .body("findings.find { it.ruleCode == '" + DAY_RULE + "' }.message", containsString("当日累计2次"))
                .body("decision", equalTo("WARN"));

        Response nextDay = auditOne("PRE_CHARGE", p, "E1", line("n2", "HISTTEST-A", 1, DAY2.atTime(9, 0)));
        assertFalse(ruleCodes(nextDay).contains(DAY_RULE), nextDay.asString());

        // the caller sends the stored line as history too: counted once (union by line id)
        Map<String, Object> request = audit("PRE_CHARGE", p, "E1", List.of(line("n3", "HISTTEST-A", 1, DAY1.atTime(15, 0))));
        request.put("history", List.of(line("h1", "HISTTEST-A", 1, DAY1.atTime(8, 0))));
        postAudit(request).then().statusCode(200)
                .body("findings.find { it.ruleCode == '" + DAY_RULE + "' }.message", containsString("当日累计2次"));

        // 退费: the refunded line is no history any more
        given().delete("/api/v1/charges/" + p + "/h1").then().statusCode(204);
        Response afterRefund = auditOne("PRE_CHARGE", p, "E1", line("n4", "HISTTEST-A", 1, DAY1.atTime(16, 0)));
        assertFalse(ruleCodes(afterRefund).contains(DAY_RULE), afterRefund.asString());
    }

    @Test
    void aChargePostedAfterAnAuditCountsInTheNextAudit() {
        // the first audit leaves this node with a copy of the patient's lines; the charge changes them
        String p = patient();
        postCharges(p, "E1", List.of(line("h1", "HISTTEST-B", 1, DAY1.atTime(7, 0)))).then().statusCode(200);
        Response before = auditOne("PRE_CHARGE", p, "E1", line("n1", "HISTTEST-A", 1, DAY1.atTime(9, 0)));
        assertFalse(ruleCodes(before).contains(DAY_RULE), before.asString());

        postCharges(p, "E1", List.of(line("h2", "HISTTEST-A", 1, DAY1.atTime(8, 0)))).then().statusCode(200).body("recorded", equalTo(1));
        Response after = auditOne("PRE_CHARGE", p, "E1", line("n2", "HISTTEST-A", 1, DAY1.atTime(10, 0)));
        assertTrue(ruleCodes(after).contains(DAY_RULE), after.asString());
    }

    @Test
    void anotherPatientsChargesAreNotHistory() {
        String p = patient();
        postCharges(p, null, List.of(line("h1", "HISTTEST-B", 1, DAY1.atTime(8, 0)))).then().statusCode(200);
        Response other = auditOne("PRE_ORDER", patient(), null, line("n1", "HISTTEST-B", 1, DAY1.atTime(9, 0)));
        assertFalse(ruleCodes(other).contains(DAY_RULE), other.asString());
        Response same = auditOne("PRE_ORDER", p, null, line("n1", "HISTTEST-B", 1, DAY1.atTime(9, 0)));
        assertTrue(ruleCodes(same).contains(DAY_RULE), same.asString());
    }

    @Test
    void encounterLinesOfOtherItemsAndDaysCountForEncounterTotals() {
        String p = patient();
        String enc = "HISTENC-" + UUID.randomUUID();
        postCharges(p, enc, List.of(line("old", "ZZENC-OLD-ITEM", "MATERIAL", 1, 900, LocalDateTime.now().minusDays(20)))).then().statusCode(200);

        Response inEncounter = postAudit(audit("PRE_ORDER", p, enc,
                List.of(line("n1", "HISTTEST-E", "SERVICE", 1, 200, LocalDateTime.now().minusHours(1))))).then().statusCode(200).extract().response();
        assertTrue(ruleCodes(inEncounter).contains(ENCOUNTER_RULE), inEncounter.asString());
        inEncounter.then().body("findings.find { it.ruleCode == '" + ENCOUNTER_RULE + "' }.message", containsString("1100"));

        Response otherEncounter = postAudit(audit("PRE_ORDER", p, "HISTENC-other-" + UUID.randomUUID(),
                List.of(line("n1", "HISTTEST-E", "SERVICE", 1, 200, LocalDateTime.now().minusHours(1))))).then().statusCode(200).extract().response();
        assertFalse(ruleCodes(otherEncounter).contains(ENCOUNTER_RULE), otherEncounter.asString());
    }

    // --- the default catalog's history rules, driven by stored charges

    @Test
    void frequencyPerDayFiresOnTheSecondChargeOfTheDayOnly() {
        String p = patient();
        postCharges(p, "E1", List.of(line("h1", "001102000050000", 1, DAY1.atTime(8, 0)))).then().statusCode(200);
        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "001102000050000", 1, DAY1.atTime(16, 0)));
        assertTrue(ruleCodes(sameDay).contains(FREQUENCY), sameDay.asString());
        sameDay.then().body("findings.find { it.ruleCode == '" + FREQUENCY + "' }.action", equalTo("BLOCK"))
                .body("decision", equalTo("BLOCK"));
        Response nextDay = auditOne("PRE_CHARGE", p, "E1", line("n2", "001102000050000", 1, DAY2.atTime(8, 0)));
        assertFalse(ruleCodes(nextDay).contains(FREQUENCY), nextDay.asString());
    }

    @Test
    void duplicateChargePairFiresOnTheSameDayOnly() {
        String p = patient();
        postCharges(p, "E1", List.of(line("h1", "001103000010000", 1, DAY1.atTime(9, 0)))).then().statusCode(200);
        Response sameDay = auditOne("PRE_CHARGE", p, "E1", line("n1", "001102000030000", 1, DAY1.atTime(10, 0)));
        assertTrue(ruleCodes(sameDay).contains(DUPLICATE), sameDay.asString());
        sameDay.then().body("findings.find { it.ruleCode == '" + DUPLICATE + "' }.lineIds", equalTo(List.of("n1")));
        Response nextDay = auditOne("PRE_CHARGE", p, "E1", line("n2", "001102000030000", 1, DAY2.atTime(10, 0)));
        assertFalse(ruleCodes(nextDay).contains(DUPLICATE), nextDay.asString());
    }

    @Test
    void cycleFrequencyLooksBackOverWeeks() {
        String p = patient();
        postCharges(p, null, List.of(line("h1", "002503020030000", 1, LocalDateTime.now().minusDays(30)))).then().statusCode(200);
        Response soon = auditOne("PRE_ORDER", p, null, line("n1", "002503020030000", 1, LocalDateTime.now().minusMinutes(5)));
        assertTrue(ruleCodes(soon).contains(CYCLE), soon.asString());
        soon.then().body("findings.find { it.ruleCode == '" + CYCLE + "' }.action", equalTo("WARN"));

        String q = patient();
        postCharges(q, null, List.of(line("h1", "002503020030000", 1, LocalDateTime.now().minusDays(70)))).then().statusCode(200);
        Response late = auditOne("PRE_ORDER", q, null, line("n1", "002503020030000", 1, LocalDateTime.now().minusMinutes(5)));
        assertFalse(ruleCodes(late).contains(CYCLE), late.asString());
    }
}
