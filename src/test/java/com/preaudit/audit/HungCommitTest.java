package com.preaudit.audit;

import com.preaudit.support.Await;
import com.preaudit.support.HistoryFixtures;
import com.preaudit.support.StoredAudits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postAudit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PRODUCT.md §8 with {@code ack=committed}: an audit is answered once its record is committed, but a database that
 * neither commits nor fails must not keep the doctor waiting for ever. Here audit_record is held under the SHARE lock
 * that a CREATE INDEX without CONCURRENTLY takes: reads go on, the writer's COPY waits. Past
 * {@code preaudit.audit.commit-timeout} (2 s) the audit is answered as during an outage ({@code degraded: true,
 * recorded: false}), later audits are answered at once, and every record is written, as answered, once the database
 * commits again.
 */
@QuarkusTest
class HungCommitTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void anAuditWhoseCommitHangsIsAnsweredUnrecordedAndStoredOnceTheDatabaseCommitsAgain() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        String patient = "P-HUNG-" + UUID.randomUUID();
        LocalDateTime at = LocalDateTime.now().minusHours(1);
        // the month's partition exists and the writer commits
        postAudit(audit("PRE_ORDER", patient, "E1", List.of(line("ok", "HISTTEST-G", 1, at)))).then().statusCode(200)
                .body("recorded", equalTo(true));

        ExecutorService callers = Executors.newSingleThreadExecutor();
        List<String> ids = new ArrayList<>();
        try (Connection locker = ds.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE audit_record IN SHARE MODE");
            }
            try {
                for (int i = 0; i < 3; i++) {
                    java.util.Map<String, Object> request = audit("PRE_ORDER", patient, "E1", List.of(line("h" + i, "HISTTEST-G", 1, at)));
                    long start = System.nanoTime();
                    Future<Response> call = callers.submit(() -> postAudit(request));
                    // without a bound the call never returns while the lock is held
                    Response r = call.get(20, TimeUnit.SECONDS);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    System.out.printf("HungCommitTest: audit %d answered after %d ms while the commit hung%n", i, ms);
                    r.then().statusCode(200).body("degraded", equalTo(true)).body("recorded", equalTo(false));
                    ids.add(r.path("auditId"));
                }
                assertEquals(0, StoredAudits.count(ds, ids), "committed through the lock?");
            } finally {
                locker.rollback();
            }
        } finally {
            callers.shutdownNow();
        }
        // the lock is gone: every record is written, stored as it was answered
        int stored = Await.until(() -> StoredAudits.count(ds, ids), n -> n == ids.size(), Duration.ofSeconds(30), Duration.ofMillis(100));
        assertEquals(ids.size(), stored, "records answered while the commit hung were not written afterwards");
        for (String id : ids) {
            given().get("/api/v1/audits/" + id).then().statusCode(200).body("response.recorded", equalTo(false))
                    .body("response.degraded", equalTo(true));
        }
        // and the next audit waits for its commit again
        postAudit(audit("PRE_ORDER", patient, "E1", List.of(line("after", "HISTTEST-G", 1, at)))).then().statusCode(200)
                .body("recorded", equalTo(true)).body("degraded", equalTo(false));
    }
}
