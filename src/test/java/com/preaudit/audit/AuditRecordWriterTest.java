package com.preaudit.audit;

import com.preaudit.support.Await;
import com.preaudit.support.StoredAudits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.maleIud;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The record writer's batches: a batch retried after its commit went through is stored once, and the writer goes on. */
@QuarkusTest
class AuditRecordWriterTest {

    @Inject
    AuditService audits;

    @Inject
    AuditRecordWriter writer;

    @Inject
    AgroalDataSource ds;

    private int[] rows(String auditId) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT count(*) FROM audit_record WHERE audit_id = ?::uuid), (SELECT count(*) FROM audit_finding WHERE audit_id = ?::uuid)")) {
            ps.setString(1, auditId);
            ps.setString(2, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private void awaitWritten(String auditId) throws Exception {
        Await.until(() -> rows(auditId), stored -> writer.pending(auditId) == null && stored[0] > 0,
                Duration.ofSeconds(10), Duration.ofMillis(50));
    }

    @Test
    void aBatchWhoseRowsAreStoredAlreadyIsWrittenOnceAndTheWriterGoesOn() throws Exception {
        AuditRequest request = maleIud("P-W-" + UUID.randomUUID());
        AuditResponse first = audits.audit(request);
        assertFalse(first.findings().isEmpty());
        awaitWritten(first.auditId());
        int[] stored = rows(first.auditId());
        assertEquals(1, stored[0]);
        assertEquals(first.findings().size(), stored[1]);

        // the same record again, as after a commit whose acknowledgement was lost: the writer retries
        // the same record objects, so with the same creation time (part of the key since V7)
        writer.submit(new AuditRecord(first.auditId(), StoredAudits.createdAt(ds, first.auditId()), request, first));
        AuditResponse next = audits.audit(maleIud("P-W-" + UUID.randomUUID()));
        awaitWritten(next.auditId());
        assertEquals(1, rows(next.auditId())[0], "the record after the retried one is stored");
        assertEquals(null, writer.pending(first.auditId()));
        int[] again = rows(first.auditId());
        assertEquals(1, again[0]);
        assertEquals(first.findings().size(), again[1]);
    }
}
