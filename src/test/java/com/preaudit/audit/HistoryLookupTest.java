package com.preaudit.audit;

import com.preaudit.support.Db;
import com.preaudit.engine.model.Line;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.lineDto;
import static com.preaudit.support.HistoryFixtures.lookupRequest;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the stored-history lookup reads, and that it reads it through the indexes. */
@QuarkusTest
class HistoryLookupTest {

    @Inject
    HistorySource source;

    @Inject
    ChargeStore store;


    @Test
    void readsTheSameItemsInTheWindowTheAuditedDaysAndTheEncounter() {
        String p = "P-LOOK-" + UUID.randomUUID();
        LocalDateTime now = LocalDate.now().atTime(10, 0);
        postCharges(p, "E-OLD", List.of(
                line("same-300d", "003101000010000", 1, now.minusDays(300)),
                line("same-500d", "003101000010000", 1, now.minusDays(500)),        // beyond the 400-day look-back
                line("class-20d", "003101000020000", 1, now.minusDays(20)),         // same 6-character class
                line("other-20d", "XG02BAZ061Z007010279543", 1, now.minusDays(20)), // other item, other day
                line("other-today", "XG02BAZ061Z007010279543", 1, now.minusHours(3)))) // other item, audited day
                .then().statusCode(200);
        postCharges(p, "E-NOW", List.of(line("enc-90d", "ZZ-OTHER", 1, now.minusDays(90)), line("enc-60d", "ZZ-OTHER", 1, now.minusDays(60)),
                line("enc-30d", "ZZ-OTHER", 1, now.minusDays(30)))).then().statusCode(200);
        postCharges("P-LOOK-other-" + UUID.randomUUID(), "E-NOW", List.of(line("x", "003101000010000", 1, now.minusDays(1))))
                .then().statusCode(200);

        HistorySource.Result r = source.lookup(lookupRequest(p, "E-NOW", lineDto("n1", "003101000010000", now)), null, null);
        assertTrue(r.available());
        Set<String> ids = r.lines().stream().map(Line::id).collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of("same-300d", "class-20d", "other-today", "enc-90d", "enc-60d", "enc-30d"), ids);
        Line enc = r.lines().stream().filter(l -> l.id().equals("enc-90d")).findFirst().orElseThrow();
        assertEquals("E-NOW", enc.encounterId());
        assertEquals(0, BigDecimal.ONE.compareTo(enc.quantity()));

        // without an encounter its lines are not read, except the first and last line of every encounter (issue 19:
        // 分解住院 and 频繁门诊/住院 need the patient's other encounters); a refund removes a line
        org.hamcrest.MatcherAssert.assertThat(io.restassured.RestAssured.given().delete("/api/v1/charges/" + p + "/class-20d").statusCode(),
                org.hamcrest.Matchers.equalTo(204));
        ids = source.lookup(lookupRequest(p, null, lineDto("n1", "003101000010000", now)), null, null).lines().stream().map(Line::id)
                .collect(java.util.stream.Collectors.toSet());
        assertEquals(Set.of("same-300d", "other-today", "enc-90d", "enc-30d"), ids);
    }

    @Test
    void codePrefixesAreMinimalAndBoundedExactly() {
        assertEquals(Set.of("ABC", "XG02BA"), ChargeStore.prefixes(List.of("XG02BAZ061", "XG02BAA", "ABC", "ABCDEFGH"), 6));
        assertEquals("XG02BB", ChargeStore.upperBound("XG02BA"));
        assertEquals("00310:", ChargeStore.upperBound("003109"));
        // a range for A1 covers A12 already
        assertEquals(Set.of("A1"), ChargeStore.prefixes(List.of("A12", "A1"), 0));
    }

    @Test
    void theLookupUsesTheIndexesNotAScan() throws Exception {
        // 40,000 lines of 800 other patients over 500 days, so the planner has a real choice
        Db.update("INSERT INTO charge_line(patient_id, line_id, encounter_id, item_code, quantity, amount, ordered_at) "
                + "SELECT 'PLAN-' || (g % 800), 'L' || g, 'E' || (g % 1200), lpad((g % 400)::text, 15, '0'), 1, 10, "
                + "localtimestamp - (g % 500) * interval '1 day' FROM generate_series(1, 40000) g ON CONFLICT DO NOTHING");
        Db.update("ANALYZE charge_line");
        LocalDateTime now = LocalDateTime.now();
        ChargeStore.HistoryQuery q = new ChargeStore.HistoryQuery("PLAN-7", "E7", now.minusDays(400), now.plusDays(1),
                ChargeStore.prefixes(List.of("000000000000007", "000000000000207"), 6), Set.of(now.toLocalDate()), 20000, 2);
        ChargeStore.Sql sql = ChargeStore.historySql(q);
        String plan = Db.plan("", sql.text(), sql.params().toArray());
        assertFalse(plan.contains("Seq Scan"), plan);
        assertTrue(plan.contains("charge_line_patient"), plan);
        assertFalse(store.history(q, null, null).lines().isEmpty());
    }

    @Test
    void withNothingToLookUpOnlyTheRequestIdsAnswerIsRead() throws Exception {
        String requestId = "T-ALONE-" + UUID.randomUUID();
        var request = com.preaudit.support.HistoryFixtures.audit("PRE_ORDER", "P-ALONE-" + UUID.randomUUID(), null,
                List.of(line("a1", "HISTTEST-A", 1, LocalDateTime.now())));
        request.put("requestId", requestId);
        String auditId = com.preaudit.support.HistoryFixtures.postAudit(request).then().statusCode(200).extract().path("auditId");
        java.time.OffsetDateTime since = java.time.OffsetDateTime.now().minusHours(1);
        ChargeStore.HistoryQuery nothing = new ChargeStore.HistoryQuery("P-NONE", null, LocalDateTime.now().minusDays(1),
                LocalDateTime.now(), Set.of(), Set.of(), 100, 2);
        // the record is written asynchronously
        ChargeStore.Lookup found = com.preaudit.support.Await.until(() -> store.history(nothing, requestId, since),
                f -> f.previousAnswer() != null, java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(50));
        assertTrue(found.lines().isEmpty());
        assertTrue(found.previousAnswer() != null && found.previousAnswer().contains(auditId), String.valueOf(found.previousAnswer()));
        assertEquals(null, store.history(nothing, "T-ALONE-unknown-" + UUID.randomUUID(), since).previousAnswer());
        assertEquals(null, store.history(nothing, null, null).previousAnswer());
    }
}
