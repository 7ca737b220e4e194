package com.preaudit.audit;

import com.preaudit.platform.EmbeddedDatabase;
import com.preaudit.support.Await;
import com.preaudit.support.HistoryFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.DAY_RULE;
import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postAudit;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stops mid-run (PRODUCT.md §8): audits keep answering from the in-memory catalog,
 * degraded, with the history rules in skipped; the records written meanwhile reach the database
 * once it is back.
 */
@QuarkusTest
class DegradedModeTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    AuditService audits;

    @Test
    void auditsAnswerDegradedWhileTheDatabaseIsDownAndTheirRecordsArriveAfterwards() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        String p = "P-DEG-" + UUID.randomUUID();
        LocalDateTime at = java.time.LocalDate.now().minusDays(1).atTime(12, 0);
        postCharges(p, "E1", List.of(line("h1", "HISTTEST-G", 1, at.minusHours(1)))).then().statusCode(200);
        postAudit(audit("PRE_ORDER", p, "E1", List.of(line("n0", "HISTTEST-G", 1, at)))).then().statusCode(200)
                .body("degraded", equalTo(false))
                .body("recorded", equalTo(true))
                .body("findings.ruleCode", org.hamcrest.Matchers.hasItem(DAY_RULE));

        EmbeddedDatabase db = EmbeddedDatabase.current();
        assertNotNull(db, "the embedded PostgreSQL is not visible to the test");
        List<String> ids = new ArrayList<>();
        long slowest = 0;
        java.util.Map<String, Object> retried = audit("PRE_ORDER", p, "E1", List.of(line("r0", "HISTTEST-G", 1, at)));
        retried.put("requestId", "T-DEG-RETRY-" + UUID.randomUUID());
        String retriedAudit;
        db.stop();
        try {
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                Response r = postAudit(audit("PRE_ORDER", p, "E1", List.of(line("d" + i, "HISTTEST-G", 1, at))));
                slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
                // answered without waiting for the database, and saying that its record is not stored yet
                r.then().statusCode(200).body("degraded", equalTo(true)).body("recorded", equalTo(false));
                List<String> skipped = r.jsonPath().getList("skipped.ruleCode", String.class);
                assertTrue(skipped.contains(DAY_RULE), "history rule not reported as skipped: " + r.asString());
                assertTrue(r.jsonPath().getString("skipped.find { it.ruleCode == '" + DAY_RULE + "' }.reason").contains("degraded"),
                        r.asString());
                assertFalse(r.jsonPath().getList("findings.ruleCode", String.class).contains(DAY_RULE));
                ids.add(r.path("auditId"));
            }
            given().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("preaudit_history_degraded 1.0"));
            // a HIS retrying while the database is down gets the answer it was given, not a second audit
            retriedAudit = postAudit(retried).then().statusCode(200).extract().path("auditId");
            postAudit(retried).then().statusCode(200).body("auditId", equalTo(retriedAudit));
            ids.add(retriedAudit);
            // acknowledged and readable from memory meanwhile
            given().get("/api/v1/audits/" + ids.get(0)).then().statusCode(200).body("response.degraded", equalTo(true))
                    .body("response.recorded", equalTo(false));
            // a finding of an audit whose record is still waiting is found for feedback (CDS Hooks, NHSA 3103)
            AuditResponse male = audits.audit(HistoryFixtures.maleIud(p));
            assertFalse(male.findings().isEmpty(), "the gender rule fires on a male patient's IUD");
            ids.add(male.auditId());
            assertEquals(java.util.Optional.of(male.auditId()), audits.auditIdOfFinding(male.findings().get(0).id()));
            // what must be durable is refused rather than acknowledged
            // ... with a 503 that says what is unavailable and leaks no driver text (SQL, host, port)
            postCharges(p, "E1", List.of(line("h2", "HISTTEST-G", 1, at))).then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("the charge store is unavailable; nothing was changed, retry shortly"));
            given().get("/api/v1/stats/findings").then().statusCode(503).contentType("application/problem+json")
                    .body("detail", equalTo("the statistics database is unavailable; nothing was changed, retry shortly"));
            given().get("/api/v1/rules").then().statusCode(503).contentType("application/problem+json")
                    .body("detail", equalTo("the catalog database is unavailable; nothing was changed, retry shortly"));
        } finally {
            db.start();
        }
        assertTrue(slowest < 3000, "a degraded audit took " + slowest + " ms");

        // the records written while the database was down arrive once it is back
        int stored = Await.until(() -> countStored(ids), n -> n == ids.size(), Duration.ofSeconds(60), Duration.ofMillis(250));
        assertEquals(ids.size(), stored, "audit records written while PostgreSQL was down");
        // stored as answered
        given().get("/api/v1/audits/" + ids.get(0)).then().statusCode(200).body("response.recorded", equalTo(false));
        assertEquals(1, countOfRequest((String) retried.get("requestId")), "records of the retried requestId");
        // and once stored, the store answers the retry
        postAudit(retried).then().statusCode(200).body("auditId", equalTo(retriedAudit));

        // and audits see stored history again (the breaker closes after its retry interval)
        Response r = firstAuditNotDegraded(p, at, "audits still degraded after the database came back");
        assertTrue(r.jsonPath().getList("findings.ruleCode", String.class).contains(DAY_RULE), r.asString());
        postCharges(p, "E1", List.of(line("h2", "HISTTEST-G", 1, at))).then().statusCode(200).body("recorded", equalTo(1));
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("preaudit_history_degraded 0.0"));
    }

    @Test
    void aRetryWhileTheHistoryLookupRestsIsAnsweredFromTheStore() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        String p = "P-REST-" + UUID.randomUUID();
        LocalDateTime at = java.time.LocalDate.now().minusDays(1).atTime(12, 0);
        java.util.Map<String, Object> request = audit("PRE_ORDER", p, "E1", List.of(line("x0", "HISTTEST-G", 1, at)));
        request.put("requestId", "T-REST-" + UUID.randomUUID());
        String requestId = (String) request.get("requestId");
        String first;
        // The history lookup fails (its statement waits on a lock past its 2 s timeout) while the writer,
        // which does not touch that table, keeps storing: the breaker rests for 1 s from the failure.
        try (Connection lock = ds.getConnection()) {
            lock.setAutoCommit(false);
            try (java.sql.Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE charge_version IN ACCESS EXCLUSIVE MODE");
            }
            first = postAudit(request).then().statusCode(200).body("degraded", equalTo(true)).extract().path("auditId");
            lock.rollback();
        }
        int written = Await.until(() -> countOfRequest(requestId), n -> n > 0, Duration.ofMillis(500), Duration.ofMillis(20));
        assertEquals(1, written, "the record is written while the history lookup rests");
        // the retry: no longer pending, and the history lookup still resting, so only the store knows it
        postAudit(request).then().statusCode(200).body("auditId", equalTo(first));
        assertEquals(1, countOfRequest(requestId), "records of the retried requestId");

        // leave the breaker closed for the next test
        firstAuditNotDegraded(p, at, "audits still degraded after the lock was released");
    }

    /** Audits {@code patient} every 250 ms until an answer is not degraded (the breaker has closed), for up to 30 s. */
    private static Response firstAuditNotDegraded(String patient, LocalDateTime at, String failure) throws Exception {
        Response r = Await.until(() -> {
            Response answer = postAudit(audit("PRE_ORDER", patient, "E1", List.of(line("after", "HISTTEST-G", 1, at))));
            answer.then().statusCode(200);
            return answer;
        }, answer -> !answer.jsonPath().getBoolean("degraded"), Duration.ofSeconds(30), Duration.ofMillis(250));
        assertFalse(r.jsonPath().getBoolean("degraded"), failure);
        return r;
    }

    private int countOfRequest(String requestId) throws java.sql.SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_record WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int countStored(List<String> ids) {
        try {
            return com.preaudit.support.StoredAudits.count(ds, ids);
        } catch (Exception e) {
            return -1; // not back yet
        }
    }
}
