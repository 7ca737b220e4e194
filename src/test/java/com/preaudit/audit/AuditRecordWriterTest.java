package com.preaudit.audit;

import com.preaudit.support.Await;
import com.preaudit.support.Db;
import com.preaudit.support.StoredAudits;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

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

    /** How many rows of the audit are stored: its record (0 or 1) and its findings. */
    record Stored(long records, long findings) { }

    private static Stored rows(String auditId) {
        return Db.one("SELECT (SELECT count(*) FROM audit_record WHERE audit_id = ?::uuid), "
                + "(SELECT count(*) FROM audit_finding WHERE audit_id = ?::uuid)", rs -> new Stored(rs.getLong(1), rs.getLong(2)), auditId, auditId);
    }

    private void awaitWritten(String auditId) throws Exception {
        Await.until(() -> rows(auditId), stored -> writer.pending(auditId) == null && stored.records() > 0,
                Duration.ofSeconds(10), Duration.ofMillis(50));
    }

    @Test
    void aBatchWhoseRowsAreStoredAlreadyIsWrittenOnceAndTheWriterGoesOn() throws Exception {
        AuditRequest request = maleIud("P-W-" + UUID.randomUUID());
        AuditResponse first = audits.audit(request);
        assertFalse(first.findings().isEmpty());
        awaitWritten(first.auditId());
        assertEquals(new Stored(1, first.findings().size()), rows(first.auditId()));

        // the same record again, as after a commit whose acknowledgement was lost: the writer retries
        // the same record objects, so with the same creation time (part of the key since V7)
        writer.submit(new AuditRecord(first.auditId(), StoredAudits.createdAt(Db.dataSource(), first.auditId()), request, first));
        AuditResponse next = audits.audit(maleIud("P-W-" + UUID.randomUUID()));
        awaitWritten(next.auditId());
        assertEquals(1, rows(next.auditId()).records(), "the record after the retried one is stored");
        assertEquals(null, writer.pending(first.auditId()));
        assertEquals(new Stored(1, first.findings().size()), rows(first.auditId()), "stored once");
    }
}
