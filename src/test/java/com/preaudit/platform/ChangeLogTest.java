package com.preaudit.platform;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change log commits with the change it records, and a change that rolls back leaves no entry. */
@QuarkusTest
class ChangeLogTest {

    @Inject
    ChangeLog changeLog;

    @Test
    void anEntryCommitsWithItsTransactionAndIsListedBySubject() {
        String subject = "author-" + UUID.randomUUID();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        QuarkusTransaction.requiringNew().run(() -> changeLog.recordAs(subject, "rule.put", "LOCAL-X", "阈值调整"));

        List<ChangeLogEntry> entries = changeLog.list(before, OffsetDateTime.now().plusSeconds(1), subject, 10);
        assertEquals(1, entries.size());
        assertEquals("rule.put", entries.get(0).action);
        assertEquals("LOCAL-X", entries.get(0).target);
        assertEquals("阈值调整", entries.get(0).note);
    }

    @Test
    void aRolledBackChangeLeavesNoEntry() {
        String subject = "author-" + UUID.randomUUID();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            changeLog.recordAs(subject, "rule.delete", "LOCAL-Y", null);
            throw new IllegalStateException("the change failed");
        }));
        assertTrue(changeLog.list(before, OffsetDateTime.now().plusSeconds(1), subject, 10).isEmpty());
    }

    @Test
    void outsideARequestTheServiceItselfIsTheSubject() {
        String target = "T-" + UUID.randomUUID();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        QuarkusTransaction.requiringNew().run(() -> changeLog.record("catalog.import", target, null));
        List<ChangeLogEntry> entries = changeLog.list(before, OffsetDateTime.now().plusSeconds(1), Caller.SYSTEM, 100);
        assertTrue(entries.stream().anyMatch(e -> target.equals(e.target)));
    }
}
