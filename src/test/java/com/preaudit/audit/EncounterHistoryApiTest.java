package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postAudit;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static com.preaudit.support.HistoryFixtures.ruleCodes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encounter-level rules (分解住院 GZ10000204001000, issue 19) see the patient's earlier stays from the charge
 * store, whatever was charged in them: the stored lines of an earlier encounter share neither item codes nor days with
 * the audited lines, and still reach the engine (its first and last line), so readmission within 15 days is flagged.
 */
@QuarkusTest
class EncounterHistoryApiTest {

    static final String SPLIT = "GZ10000204001000";

    private static Map<String, Object> admission(String patient, LocalDateTime admitted) {
        Map<String, Object> r = audit("PRE_ORDER", patient, "E-NEW", List.of(line("n1", "001102000050000", 1, admitted.plusHours(1))));
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) r.get("encounter");
        e.put("admittedAt", admitted.withNano(0).toString());
        return r;
    }

    private static void earlierStay(String patient, LocalDate from, LocalDate to) {
        postCharges(patient, "E-OLD", List.of(
                line("o1", "C0801000000000000009", "MATERIAL", 1, 100, from.atTime(10, 0)),
                line("o2", "C0801000000000000009", "MATERIAL", 1, 100, to.atTime(10, 0)))).then().statusCode(200);
    }

    /** The rule codes of today's admission audit of a patient whose earlier stay ran from {@code from} to {@code to} days ago. */
    private static List<String> admittedTodayAfterAStay(int from, int to) {
        String p = "P-SPLIT-" + UUID.randomUUID();
        LocalDate today = LocalDate.now();
        earlierStay(p, today.minusDays(from), today.minusDays(to));
        return ruleCodes(postAudit(admission(p, today.atTime(8, 0))).then().statusCode(200).extract().response());
    }

    @Test
    void aStayThatEndedFiveDaysBeforeThisAdmissionIsFlagged() {
        List<String> codes = admittedTodayAfterAStay(12, 5);
        assertTrue(codes.contains(SPLIT), codes.toString());
    }

    @Test
    void aStayThatEndedFortyDaysAgoIsNot() {
        List<String> codes = admittedTodayAfterAStay(50, 40);
        assertFalse(codes.contains(SPLIT), codes.toString());
    }
}
