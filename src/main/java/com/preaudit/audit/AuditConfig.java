package com.preaudit.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code preaudit.audit.*}. */
@ConfigMapping(prefix = "preaudit.audit")
public interface AuditConfig {

    /**
     * Audit records waiting for the database at most; beyond it audits are refused (503), never
     * dropped. A pending record of a 20-line order holds ~25 KB of heap, so 50,000 is ~1.2 GB: the
     * memory to ride out a database outage, and what a graceful stop must still write.
     */
    @WithDefault("50000")
    int queueCapacity();

    /**
     * When an audit is answered: {@code committed} (default) once its record is committed (group commit), or
     * {@code queued} once its record is queued for the writer (faster; a kill -9 loses the queued records).
     */
    @WithDefault("committed")
    Ack ack();

    enum Ack { COMMITTED, QUEUED }

    /**
     * How long a batch of audit records may take to commit. A database that takes longer (hung, or waiting on a lock
     * such as a non-concurrent CREATE INDEX on audit_record) is treated as an outage: the audits waiting for that commit
     * are answered {@code degraded: true, recorded: false} at once, the write is aborted, and the records stay in
     * memory and are written when the database commits again.
     */
    @WithDefault("2s")
    Duration commitTimeout();

    /** Records written per batch. */
    @WithDefault("500")
    int batchSize();

    /**
     * With {@code ack=committed}, under load only: when audits arrived while the last batch was being written, the writer
     * waits this long before writing the next one, so that the audits arriving meanwhile share its commit. Each commit
     * costs the database a WAL flush and the writer a round of statements; at 1,500 audits/s batches of 2–3 records made
     * ~600 commits a second. A single audit on a quiet node never waits. 0 turns it off.
     */
    @WithDefault("2ms")
    Duration commitLinger();

    /** With {@code ack=queued}: how long the writer lets a batch fill (with {@code committed} there is no wait). */
    @WithDefault("20ms")
    Duration batchWait();

    /** How long shutdown waits for the last records to reach the database. */
    @WithDefault("30s")
    Duration shutdownFlush();

    /**
     * Months of audit records kept: a month's partitions are dropped once every record in them is older than this.
     * Unset (the default): everything is kept.
     */
    java.util.Optional<Integer> retentionMonths();

    /** How often the retention is applied (also once at start). */
    @WithDefault("6h")
    Duration retentionCheck();

    /** How long the same requestId returns the stored answer. */
    @WithDefault("24h")
    Duration idempotencyWindow();
}
