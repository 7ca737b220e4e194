package com.preaudit.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static com.preaudit.support.HistoryFixtures.maleIud;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit with {@code ack=committed}: audits that arrive while a batch is being written share the next commit
 * (the writer lingers for more only under load), and an audit on a quiet node is answered without that wait.
 * A writer of its own with a long linger, so that the difference does not depend on the machine's speed.
 */
@QuarkusTest
class GroupCommitTest {

    private static final Duration LINGER = Duration.ofMillis(300);

    @Inject
    AuditService audits;

    @Inject
    AgroalDataSource ds;

    @Inject
    AuditConfig config;

    @Inject
    ObjectMapper mapper;

    @Test
    void auditsArrivingUnderLoadShareCommitsAndAQuietAuditDoesNotWaitForOthers() throws Exception {
        AuditRequest request = maleIud("P-GC-" + UUID.randomUUID());
        AuditResponse response = audits.audit(request);
        AuditRecordWriter writer = new AuditRecordWriter(ds, committedWithLinger(config, LINGER), mapper);
        writer.start(null);
        try {
            // quiet: nothing arrived while the last batch was written, so nothing to wait for
            AuditRecord quiet = record(request, response);
            long t0 = System.nanoTime();
            assertTrue(writer.submit(quiet));
            quiet.outcome().get(10, TimeUnit.SECONDS);
            long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(quietMillis < LINGER.toMillis() * 2 / 3, "a lone audit waited " + quietMillis + " ms for its commit");

            // load: 200 audits 0.5 ms apart (2,000/s); one record per commit would be 200 commits
            long before = writer.commits();
            List<AuditRecord> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                AuditRecord r = record(request, response);
                assertTrue(writer.submit(r));
                burst.add(r);
                LockSupport.parkNanos(500_000);
            }
            for (AuditRecord r : burst) {
                assertTrue(r.outcome().get(10, TimeUnit.SECONDS).response().recorded(), "answered after its commit");
            }
            long commits = writer.commits() - before;
            assertTrue(commits <= 10, "200 audits arriving together took " + commits + " commits");
        } finally {
            writer.stop(null);
        }
    }

    private static AuditRecord record(AuditRequest request, AuditResponse response) {
        return new AuditRecord(UUID.randomUUID().toString(), OffsetDateTime.now(), request, response);
    }

    /** The node's settings, with ack=committed and the given linger. */
    private static AuditConfig committedWithLinger(AuditConfig c, Duration linger) {
        return new AuditConfig() {
            public int queueCapacity() { return c.queueCapacity(); }
            public Ack ack() { return Ack.COMMITTED; }
            public Duration commitTimeout() { return c.commitTimeout(); }
            public int batchSize() { return c.batchSize(); }
            public Duration commitLinger() { return linger; }
            public Duration batchWait() { return c.batchWait(); }
            public Duration shutdownFlush() { return c.shutdownFlush(); }
            public Optional<Integer> retentionMonths() { return c.retentionMonths(); }
            public Duration retentionCheck() { return c.retentionCheck(); }
            public Duration idempotencyWindow() { return c.idempotencyWindow(); }
        };
    }
}
