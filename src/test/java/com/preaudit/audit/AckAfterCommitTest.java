package com.preaudit.audit;

import com.preaudit.support.HistoryFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.preaudit.support.HistoryFixtures.postAudit;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PRODUCT.md §8 (preaudit.audit.ack=committed, the default): an audit is answered once its record is committed, so
 * the moment the answer arrives the record is in the database, read by another connection without waiting. With
 * the answer-before-commit of ack=queued the record was still queued (a kill -9 then lost it).
 */
@QuarkusTest
class AckAfterCommitTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void anAnsweredAuditIsAlreadyInTheDatabase() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        for (int i = 0; i < 5; i++) {
            String auditId = postAudit(HistoryFixtures.audit("PRE_ORDER", "P-ACK-" + UUID.randomUUID(), "E1",
                    List.of(HistoryFixtures.line("a" + i, "HISTTEST-G", 1, java.time.LocalDateTime.now().minusHours(1)))))
                    .then().statusCode(200).body("recorded", equalTo(true)).body("degraded", equalTo(false))
                    .extract().path("auditId");
            assertEquals(1, stored(List.of(auditId)), "audit " + auditId + " answered but not committed");
        }
    }

    @Test
    void auditsArrivingTogetherAreAllCommittedWhenAnswered() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String patient = "P-GROUP-" + UUID.randomUUID();
                calls.add(pool.submit(() -> {
                    String id = postAudit(HistoryFixtures.audit("PRE_ORDER", patient, "E1",
                            List.of(HistoryFixtures.line("g", "HISTTEST-G", 1, java.time.LocalDateTime.now().minusHours(1)))))
                            .then().statusCode(200).body("recorded", equalTo(true)).extract().path("auditId");
                    // read at once, from another connection: committed before the answer was sent
                    assertEquals(1, stored(List.of(id)), "audit " + id + " answered but not committed");
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : calls) {
                ids.add(f.get());
            }
            assertEquals(200, stored(ids));
        } finally {
            pool.shutdownNow();
        }
    }

    private int stored(List<String> ids) throws java.sql.SQLException {
        return com.preaudit.support.StoredAudits.count(ds, ids);
    }
}
