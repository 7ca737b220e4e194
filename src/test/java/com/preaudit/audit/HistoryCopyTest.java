package com.preaudit.audit;

import com.preaudit.support.Db;
import com.preaudit.engine.model.Line;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.lineDto;
import static com.preaudit.support.HistoryFixtures.lookupRequest;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's in-memory copy of a patient's stored lines: it answers exactly what the store's query
 * answers, and any change of the patient's lines — through this node's API or written into the
 * table by anyone else — is seen by the next lookup.
 */
@QuarkusTest
class HistoryCopyTest {

    @Inject
    HistorySource source;

    @Inject
    ChargeStore store;

    @Inject
    HistoryConfig config;


    private static List<String> ids(List<Line> lines) {
        return lines.stream().map(Line::id).toList();
    }

    /** What the store's own query reads for the request, in its order. */
    private List<String> fromStore(AuditRequest r) throws SQLException {
        return ids(store.history(source.query(r), null, null).lines());
    }

    private List<String> fromSource(AuditRequest r) {
        HistorySource.Result result = source.lookup(r, null, null);
        assertTrue(result.available());
        return ids(result.lines());
    }

    @Test
    void theCopyAnswersWhatTheStoreAnswersInTheSameOrder() throws Exception {
        String p = "P-COPY-" + UUID.randomUUID();
        LocalDateTime now = LocalDate.now().atTime(10, 0);
        List<Map<String, Object>> lines = new ArrayList<>();
        String[] codes = {"003101000010000", "003101000020000", "003102000010000", "XG02BAZ061Z007010279543", "XG02BAA001", "ZZ-OTHER"};
        for (int i = 0; i < 60; i++) {
            // several lines per timestamp, so the tie order (line id) matters too
            lines.add(line("L" + (100 - i), codes[i % codes.length], 1, now.minusDays((i * 7L) % 450).minusHours(i % 3)));
        }
        postCharges(p, "E-A", lines.subList(0, 30)).then().statusCode(200);
        postCharges(p, "E-B", lines.subList(30, 60)).then().statusCode(200);
        given().delete("/api/v1/charges/" + p + "/L95").then().statusCode(204);

        List<AuditRequest> requests = List.of(
                lookupRequest(p, "E-A", lineDto("n1", "003101000010000", now)),
                lookupRequest(p, "E-B", lineDto("n1", "XG02BAZ061Z007010279543", now.minusDays(14)), lineDto("n2", "ZZ-OTHER", now.minusDays(35))),
                lookupRequest(p, null, lineDto("n1", "003102000099999", now.minusDays(100))),
                lookupRequest(p, "E-NONE", lineDto("n1", "NOTHING-LIKE-IT", now.plusDays(3))),
                lookupRequest(p, "E-A", lineDto("n1", "XG02BA", now), lineDto("n2", "003101000010000", now.minusDays(420))));
        for (int round = 0; round < 2; round++) {       // the first lookup makes the copy, the second reads it
            for (AuditRequest r : requests) {
                List<String> expected = fromStore(r);
                assertEquals(expected, fromSource(r), "request lines " + r.lines());
            }
        }
        assertFalse(fromStore(requests.get(0)).isEmpty());
        assertFalse(fromSource(requests.get(0)).contains("L95"), "a refunded line is no history");
    }

    @Test
    void linesWrittenByAnotherWriterAreSeenByTheNextLookup() throws Exception {
        String p = "P-COPY-" + UUID.randomUUID();
        LocalDateTime now = LocalDate.now().atTime(10, 0);
        postCharges(p, "E1", List.of(line("h1", "003101000010000", 1, now.minusDays(2)))).then().statusCode(200);
        AuditRequest r = lookupRequest(p, "E1", lineDto("n1", "003101000010000", now));
        assertEquals(List.of("h1"), fromSource(r));

        // another node (or a backfill) writes the table directly: the copy must not hide it
        Db.update("INSERT INTO charge_line(patient_id, line_id, encounter_id, item_code, quantity, ordered_at) VALUES (?, 'h2', 'E1', ?, 1, ?)",
                p, "003101000010000", now.minusDays(1));
        assertEquals(List.of("h2", "h1"), fromSource(r));

        Db.update("UPDATE charge_line SET refunded = true WHERE patient_id = ? AND line_id = 'h1'", p);
        assertEquals(List.of("h2"), fromSource(r));

        Db.update("DELETE FROM charge_line WHERE patient_id = ?", p);
        assertEquals(List.of(), fromSource(r));
    }

    @Test
    void aPatientWithMoreLinesThanACopyHoldsIsReadThroughTheStore() throws Exception {
        String p = "P-COPY-BIG-" + UUID.randomUUID();
        LocalDateTime now = LocalDate.now().atTime(10, 0);
        int many = config.cachePatientLines() + 1;
        // newer lines of other items, and one old line of the audited item: a copy cut to the newest lines would lose
        // exactly the line the audit needs
        Db.update("INSERT INTO charge_line(patient_id, line_id, encounter_id, item_code, quantity, ordered_at) "
                + "SELECT ?, 'N' || g, 'E-OLD', 'OTHER-' || g, 1, ?::timestamp - (g % 300) * interval '1 day' FROM generate_series(1, ?) g "
                + "UNION ALL SELECT ?, 'OLD', 'E-OLD', '003101000010000', 1, ?::timestamp - interval '350 days'", p, now.minusDays(1), many, p, now);
        AuditRequest r = lookupRequest(p, "E1", lineDto("n1", "003101000010000", now));
        for (int round = 0; round < 2; round++) {
            // N1200 is the encounter's latest line (smallest id of the newest day), read as the encounter's end
            assertEquals(List.of("N1200", "OLD"), fromSource(r));
        }
        assertEquals(fromStore(r), fromSource(r));
    }

    @Test
    void anUnchangedVersionDoesNotReadTheLinesAgain() throws Exception {
        String p = "P-COPY-" + UUID.randomUUID();
        postCharges(p, "E1", List.of(line("h1", "003101000010000", 1, LocalDate.now().atTime(8, 0)))).then().statusCode(200);
        ChargeStore.Check first = store.check(p, -1, null, null, 100, 2);
        assertEquals(List.of("h1"), ids(first.lines()));
        ChargeStore.Check again = store.check(p, first.version(), null, null, 100, 2);
        assertEquals(first.version(), again.version());
        assertEquals(null, again.lines(), "same version: no lines sent");

        String plan = Db.plan("(ANALYZE, COSTS OFF)", ChargeStore.CHECK_SQL, (c, ps) -> {
            ps.setString(1, p);
            ps.setString(2, null);
            ps.setObject(3, java.time.OffsetDateTime.now());
            ps.setString(4, p);
            ps.setObject(5, LocalDate.now());
            ps.setString(6, p);
            ps.setLong(7, first.version());
            ps.setInt(8, 101);
        });
        String scan = plan.lines().filter(l -> l.contains("on charge_line")).findFirst().orElseThrow(() -> new AssertionError(plan));
        assertTrue(scan.contains("never executed"), plan);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }
}
