package com.preaudit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.preaudit.platform.DaemonThreads;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes audit records in batches on its own thread. With {@code preaudit.audit.ack=committed} (the default) an
 * audit is answered when its record's batch has committed: group commit, the records that arrived while the previous
 * batch was being written share the next transaction, with no wait for a batch to fill. With {@code ack=queued} it is
 * answered when the record is queued, and batches wait {@code batch-wait} to fill (fewer commits, but a kill -9
 * loses what is queued). When the database does not take a batch, its audits are answered at once as
 * {@code degraded: true, recorded: false} and the batch is retried until the database is back.
 * Bounded: when the queue is full the audit is refused rather than acknowledged and lost. A record
 * stays in {@link #pending} (readable by GET /audits/{id}) until its batch has committed; shutdown drains everything.
 */
@ApplicationScoped
public class AuditRecordWriter {

    private static final Logger LOG = Logger.getLogger(AuditRecordWriter.class);

    private final AgroalDataSource ds;
    private final AuditConfig config;
    private final boolean ackCommitted;
    /** The answers' mapper: an audit answered unrecorded is stored with the bytes it was answered with. */
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final BlockingQueue<AuditRecord> queue;
    private final ConcurrentHashMap<String, AuditRecord> pending = new ConcurrentHashMap<>();
    /** The same records by requestId (those that have one): a replay is answered from here until the store has it. */
    private final ConcurrentHashMap<String, AuditRecord> pendingByRequest = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile boolean databaseDown;
    private Thread thread;
    /**
     * Completes the answers of committed batches. Answering an audit resumes its HTTP request on the completing thread,
     * which then sends the response: on the writer thread that held back the next batch's COPY, and with
     * {@code ack=committed} every audit queued behind it (docs/bench-results/2026-12-07-ack-committed.md).
     */
    private final java.util.concurrent.ExecutorService answers =
            java.util.concurrent.Executors.newSingleThreadExecutor(DaemonThreads.named("audit-record-answers"));
    /** System.nanoTime() when the write in progress began; 0 while none is (see {@link #abortStalledWrite}). */
    private volatile long writeSince;
    /** The connection of the write in progress, for the watchdog to abort. */
    private volatile Connection writeConnection;
    private final long commitTimeoutNanos;
    private final long lingerNanos;
    /** Batches committed since start. */
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    private java.util.concurrent.ScheduledExecutorService watchdog;
    /** The writer thread's COPY buffer, reused for every batch. */
    private final CopyRows rows = new CopyRows();
    /** The month partitions this writer has made sure of (writer thread only). */
    private final AuditPartitions partitions = new AuditPartitions();

    public AuditRecordWriter(AgroalDataSource ds, AuditConfig config, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.ds = ds;
        this.config = config;
        this.mapper = mapper;
        this.ackCommitted = config.ack() == AuditConfig.Ack.COMMITTED;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.commitTimeoutNanos = config.commitTimeout().toNanos();
        this.lingerNanos = config.commitLinger().toNanos();
    }

    void start(@Observes StartupEvent event) {
        thread = DaemonThreads.named("audit-record-writer").newThread(this::loop);
        thread.start();
        watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("audit-commit-watchdog"));
        long period = Math.max(10, Math.min(250, config.commitTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::abortStalledWrite, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A database that neither commits nor fails (hung, or waiting on a lock) would keep every audit waiting for its
     * commit, with no answer ever: past {@code commit-timeout} this is an outage like any other. The audits waiting are
     * answered unrecorded now (their records stay pending, stored as answered), later audits do not wait
     * ({@link #databaseDown}), and the write is aborted so that the writer retries it with the unrecorded copies.
     */
    private void abortStalledWrite() {
        long since = writeSince;
        if (since == 0 || System.nanoTime() - since < commitTimeoutNanos) {
            return;
        }
        writeSince = 0; // once per attempt: the retry arms it again
        if (!databaseDown) {
            LOG.warnf("audit records not committed within %d ms; answering audits unrecorded, keeping %d in memory and retrying",
                    TimeUnit.NANOSECONDS.toMillis(commitTimeoutNanos), pending.size());
        }
        databaseDown = true;
        for (AuditRecord r : pending.values()) {
            if (!r.outcome().isDone()) {
                answerUnrecorded(r);
            }
        }
        Connection c = writeConnection;
        if (c != null) {
            try {
                // the physical connection: the pool's wrapper would only detach itself, leaving the writer blocked
                ((Connection) c.unwrap(org.postgresql.PGConnection.class)).abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("aborting the stalled audit record write: %s", e.getMessage());
            }
        }
    }

    /**
     * Hands a record over; false when the backlog is full (the caller must not acknowledge the audit). Otherwise its
     * {@link AuditRecord#outcome} completes with the record to answer: once committed, or at once while the database
     * is unreachable (unrecorded) or with {@code ack=queued}.
     */
    public boolean submit(AuditRecord record) {
        // While the last batch failed, an audit does not wait for the retry: it is answered unrecorded now
        boolean now = !ackCommitted || databaseDown;
        if (databaseDown) {
            record = unrecorded(record);
        }
        pending.put(record.auditId(), record);
        String requestId = requestId(record);
        if (requestId != null) {
            pendingByRequest.put(requestId, record);
        }
        try {
            if (queue.offer(record, 50, TimeUnit.MILLISECONDS)) {
                if (now) {
                    record.outcome().complete(record);
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget(record);
        return false;
    }

    private static String requestId(AuditRecord record) {
        return record.request() == null ? null : record.request().requestId();
    }

    /** Once the record is in the database (or refused): the store answers for it from now on. */
    private void forget(AuditRecord record) {
        pending.remove(record.auditId());
        String requestId = requestId(record);
        if (requestId != null) {
            // only this record's entry: a later audit of the same requestId may have replaced it
            pendingByRequest.remove(requestId, record);
        }
    }

    /** The record acknowledged for {@code requestId} and not yet in the database, or null. */
    public AuditRecord pendingOfRequest(String requestId) {
        return pendingByRequest.get(requestId);
    }

    /** A record acknowledged but not yet in the database, or null. */
    public AuditRecord pending(String auditId) {
        return pending.get(auditId);
    }

    /**
     * The audit of a finding whose record is not yet in the database, or null. A scan: the backlog
     * is a batch or two while the database keeps up, and feedback calls are rare next to audits.
     */
    public String pendingAuditOfFinding(String findingId) {
        for (AuditRecord r : pending.values()) {
            for (AuditResponse.FindingDto f : r.response().findings()) {
                if (f.id().equals(findingId)) {
                    return r.auditId();
                }
            }
        }
        return null;
    }

    /** Batches (transactions) committed since the node started. */
    public long commits() {
        return commits.get();
    }

    public int backlog() {
        return pending.size();
    }

    /** True while the last write attempt failed (the database is unreachable). */
    public boolean databaseDown() {
        return databaseDown;
    }

    /** Records that arrived while the last batch was being written: a sign of load (see {@link AuditConfig#commitLinger}). */
    private int arrivedDuringWrite;

    private void loop() {
        List<AuditRecord> batch = new ArrayList<>(config.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                AuditRecord first = queue.poll(config.batchWait().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.batchSize() - 1);
                if (ackCommitted && lingerNanos > 0 && arrivedDuringWrite > 0 && batch.size() < config.batchSize() && running) {
                    // Under load only: audits arrived while the last batch was written, so more will arrive within
                    // the linger and share this commit (docs/bench-results/2026-12-07-commit-linger.md)
                    java.util.concurrent.locks.LockSupport.parkNanos(lingerNanos);
                    queue.drainTo(batch, config.batchSize() - batch.size());
                }
                answered(batch);
                if (!ackCommitted && batch.size() < config.batchSize() && running) {
                    // Let the batch fill for batchWait: each batch is a transaction (a WAL flush) and
                    // two COPY statements, and records arrive one by one — without the wait, 1,000
                    // audits/s made batches of ~6 records, i.e. ~170 commits a second.
                    Thread.sleep(config.batchWait().toMillis());
                    queue.drainTo(batch, config.batchSize() - batch.size());
                    answered(batch);
                }
                writeWithRetry(batch);
                arrivedDuringWrite = queue.size();
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    // shutdown: write the batch in hand and what is left, in batches, so the stopping
                    // thread sees progress
                    writeWithRetry(batch);
                    if (!batch.isEmpty()) {
                        return; // the database stayed unreachable past the flush deadline
                    }
                    while (!queue.isEmpty()) {
                        queue.drainTo(batch, config.batchSize());
                        answered(batch);
                        writeWithRetry(batch);
                        if (!batch.isEmpty()) {
                            return; // the database stayed unreachable past the flush deadline
                        }
                    }
                    return;
                }
            }
        }
    }

    private void writeWithRetry(List<AuditRecord> batch) {
        long backoff = 100;
        long deadline = Long.MAX_VALUE;
        while (!batch.isEmpty()) {
            try {
                write(batch);
                commits.incrementAndGet();
                databaseDown = false;
                List<AuditRecord> committed = List.copyOf(batch);
                for (AuditRecord r : committed) {
                    forget(r);
                }
                answers.execute(() -> {
                    for (AuditRecord r : committed) {
                        r.outcome().complete(r);
                    }
                });
                batch.clear();
                return;
            } catch (SQLException | RuntimeException e) {
                if (!databaseDown) {
                    LOG.warnf("audit records cannot be written (%s); keeping %d in memory and retrying", brief(e), pending.size());
                }
                databaseDown = true;
                answerUnrecorded(batch);
                if (!running) {
                    if (deadline == Long.MAX_VALUE) {
                        deadline = System.nanoTime() + config.shutdownFlush().toNanos();
                    } else if (System.nanoTime() > deadline) {
                        LOG.errorf("shutting down with %d audit records not written", pending.size());
                        return;
                    }
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    // shutdown in progress: keep trying until the deadline
                }
                backoff = Math.min(backoff * 2, 2000);
            }
        }
    }

    /**
     * The audits still waiting for their commit, in the batch and in the queue behind it (those would otherwise wait for
     * the database's return), are answered now, as unrecorded, and stored as answered: the batch keeps their
     * unrecorded copies for the retry, and a queued one is swapped for its copy when it is taken ({@link #answered}).
     */
    private void answerUnrecorded(List<AuditRecord> batch) {
        for (int i = 0; i < batch.size(); i++) {
            AuditRecord r = batch.get(i);
            // one answered meanwhile (by the watchdog) is kept as it was answered
            batch.set(i, r.outcome().isDone() ? r.outcome().getNow(r) : answerUnrecorded(r));
        }
        for (AuditRecord r : queue) {
            if (!r.outcome().isDone()) {
                answerUnrecorded(r);
            }
        }
    }

    private AuditRecord answerUnrecorded(AuditRecord r) {
        AuditRecord answered = unrecorded(r);
        pending.replace(r.auditId(), r, answered);
        String requestId = requestId(r);
        if (requestId != null) {
            pendingByRequest.replace(requestId, r, answered);
        }
        r.outcome().complete(answered);
        // the writer and the watchdog may both get here: the copy that was answered is the one to store
        return r.outcome().getNow(answered);
    }

    /** Each record as it was answered: a queued one answered unrecorded meanwhile is stored as its unrecorded copy. */
    private static void answered(List<AuditRecord> batch) {
        batch.replaceAll(r -> r.outcome().getNow(r));
    }

    private AuditRecord unrecorded(AuditRecord r) {
        if (r.responseJson() == null) {
            return r.unrecorded(null); // serialised when written, like every record of the interop adapters
        }
        try {
            return r.unrecorded(mapper.writeValueAsBytes(r.response().unrecorded()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(List<AuditRecord> batch) throws SQLException {
        writeSince = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            writeConnection = c;
            partitions.cover(c, batch);
            c.setAutoCommit(false);
            try {
                try {
                    copy(c, batch);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // A batch retried after a commit whose acknowledgement was lost: some of its rows
                    // are stored already. COPY cannot skip them, so the batch goes through temporary
                    // tables and INSERT … ON CONFLICT DO NOTHING.
                    c.rollback();
                    copySkippingStored(c, batch);
                }
                markLate(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException | AssertionError e) {
                // pgjdbc can surface a dropped connection as an AssertionError (tests run with -ea);
                // it must not kill this thread, or every later record would be lost.
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException | AssertionError ignored) {
                    // the connection is gone; the batch is retried on a new one
                }
                if (e instanceof AssertionError) {
                    throw new SQLException("connection lost: " + e.getMessage(), "08006", e);
                }
                throw e;
            }
        } finally {
            writeSince = 0;
            writeConnection = null;
        }
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * A record is late when it is written more than this after its audit was answered (both times by this node's clock):
     * after an outage, or behind a long backlog. The statistics roll a day up {@code preaudit.stats.rollup-after}
     * (at least 2 minutes) after it ended, so a record that is not late reached the database before its day's rollup.
     */
    static final long LATE_MILLIS = 60_000;

    /**
     * Marks the instants of the batch's late records stale for the statistics' daily rollup (V75), in the batch's
     * transaction; nothing is written for a batch without late records, i.e. normally.
     */
    private static void markLate(Connection c, List<AuditRecord> batch) throws SQLException {
        long late = System.currentTimeMillis() - LATE_MILLIS;
        java.time.OffsetDateTime first = null;
        java.time.OffsetDateTime last = null;
        for (AuditRecord r : batch) {
            java.time.OffsetDateTime at = r.createdAt();
            if (at.toInstant().toEpochMilli() < late) {
                first = first == null || at.isBefore(first) ? at : first;
                last = last == null || at.isAfter(last) ? at : last;
            }
        }
        if (first != null) {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO stats_stale (at_from, at_to) VALUES (?, ?)")) {
                ps.setObject(1, first);
                ps.setObject(2, last);
                ps.executeUpdate();
            }
        }
    }

    private static final String RECORD_COLUMNS = "audit_id, request_id, created_at, stage, scenario, catalog_version, decision, "
            + "patient_id, encounter_id, department_code, doctor_id, elapsed_micros, degraded, request_digest, request, response, client_subject";
    private static final String FINDING_COLUMNS = "finding_id, audit_id, created_at, stage, rule_code, rule_name, action, result_type, "
            + "department_code, doctor_id, item_codes, amount_at_risk, line_ids, line_item_codes, line_item_names, line_amounts, "
            + "department_name, doctor_name, exemption_id, shadow";

    /** The batch as two COPY streams (records, then findings) in the caller's transaction. */
    private void copy(Connection c, List<AuditRecord> batch) throws SQLException {
        copy(c, batch, "audit_record", "audit_finding");
    }

    /** The same rows into tables shaped like the two, then only those not stored yet into the real ones. */
    private void copySkippingStored(Connection c, List<AuditRecord> batch) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            // with the defaults, so that a NOT NULL column the writer leaves to its default (V30's shadow) is filled here too
            st.execute("CREATE TEMP TABLE audit_record_retry (LIKE audit_record INCLUDING DEFAULTS) ON COMMIT DROP; "
                    + "CREATE TEMP TABLE audit_finding_retry (LIKE audit_finding INCLUDING DEFAULTS) ON COMMIT DROP");
            copy(c, batch, "audit_record_retry", "audit_finding_retry");
            st.execute("INSERT INTO audit_record(" + RECORD_COLUMNS + ") SELECT " + RECORD_COLUMNS
                    + " FROM audit_record_retry ON CONFLICT DO NOTHING; INSERT INTO audit_finding(" + FINDING_COLUMNS + ") SELECT "
                    + FINDING_COLUMNS + " FROM audit_finding_retry ON CONFLICT DO NOTHING");
        }
    }

    private void copy(Connection c, List<AuditRecord> batch, String recordTable, String findingTable) throws SQLException {
        CopyRows rows = this.rows;
        rows.reset();
        for (AuditRecord r : batch) {
            AuditRequest q = r.request();
            AuditResponse a = r.response();
            byte[] requestJson = requestJson(r);
            rows.text(r.auditId()).text(q.requestId()).text(timestamp(r)).text(q.stage().name())
                    .text(q.scenario() == null ? null : q.scenario().name()).number(a.catalogVersion()).text(a.decision().name())
                    .text(q.patient().id()).text(q.encounter() == null ? null : q.encounter().id())
                    .text(q.encounter() == null ? null : q.encounter().departmentCode())
                    .text(q.encounter() == null ? null : q.encounter().doctorId())
                    .number(a.elapsedMicros()).bool(a.degraded()).text(sha256(requestJson))
                    .utf8(requestJson).utf8(r.responseJson() != null ? r.responseJson() : json(a)).text(r.clientSubject());
            rows.endRow();
        }
        org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
        copyIn(copy, "COPY " + recordTable + "(" + RECORD_COLUMNS + ") FROM STDIN", rows);
        rows.reset();
        for (AuditRecord r : batch) {
            AuditRequest q = r.request();
            String at = timestamp(r);
            AuditRequest.EncounterDto e = q.encounter();
            List<AuditResponse.FindingDto> findings = r.response().findings();
            List<AuditResponse.FindingDto> shadow = r.shadowFindings();
            java.util.Map<String, AuditRequest.LineDto> byId = findings.isEmpty() && shadow.isEmpty() ? java.util.Map.of() : linesById(q);
            // the answered findings, then those of SHADOW rules (never answered), marked shadow
            int answered = findings.size();
            for (int k = 0; k < answered + shadow.size(); k++) {
                AuditResponse.FindingDto f = k < answered ? findings.get(k) : shadow.get(k - answered);
                int n = f.lineIds().size();
                List<String> codes = new ArrayList<>(n);
                List<String> names = new ArrayList<>(n);
                List<String> amounts = new ArrayList<>(n);
                for (String id : f.lineIds()) {
                    AuditRequest.LineDto l = byId.get(id);
                    codes.add(l == null ? null : l.itemCode());
                    names.add(l == null ? null : l.itemName());
                    amounts.add(l == null || l.amount() == null ? null : l.amount().toPlainString());
                }
                // The first line's own department and doctor win over the encounter's (a consult orders for
                // another ward); a line without them falls back to the encounter's, names likewise.
                AuditRequest.LineDto line = n == 0 ? null : byId.get(f.lineIds().get(0));
                boolean ownDept = line != null && line.departmentCode() != null;
                boolean ownDoctor = line != null && line.doctorId() != null;
                rows.text(f.id()).text(r.auditId()).text(at).text(q.stage().name()).text(f.ruleCode()).text(f.ruleName())
                        .text(f.action().name()).text(f.resultType() == null ? null : f.resultType().name())
                        .text(ownDept ? line.departmentCode() : e == null ? null : e.departmentCode())
                        .text(ownDoctor ? line.doctorId() : e == null ? null : e.doctorId())
                        .textArray(f.itemCodes()).number(f.amountAtRisk())
                        .textArray(f.lineIds()).textArray(codes).textArray(names).textArray(amounts)
                        .text(ownDept ? line.departmentName() : e == null ? null : e.departmentName())
                        .text(ownDoctor ? line.doctorName() : e == null ? null : e.doctorName())
                        .text(f.exemptionId()).bool(k >= answered);
                rows.endRow();
            }
        }
        if (rows.size() > 0) {
            copyIn(copy, "COPY " + findingTable + "(" + FINDING_COLUMNS + ") FROM STDIN", rows);
        }
    }

    private static void copyIn(org.postgresql.copy.CopyManager copy, String sql, CopyRows rows) throws SQLException {
        org.postgresql.copy.CopyIn in = copy.copyIn(sql);
        try {
            in.writeToCopy(rows.buffer(), 0, rows.size());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** ISO-8601 with the offset, to the microsecond PostgreSQL keeps. */
    private static String timestamp(AuditRecord r) {
        return r.createdAt().toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
    }

    /** pgjdbc's batch errors quote the whole statement with its parameters: megabytes in one log line. */
    private static String brief(Throwable e) {
        String m = e instanceof java.sql.BatchUpdateException b && b.getNextException() != null
                ? b.getNextException().getMessage() : String.valueOf(e.getMessage());
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /** The request's lines by id (line ids are unique in a valid request). */
    private static java.util.Map<String, AuditRequest.LineDto> linesById(AuditRequest q) {
        java.util.Map<String, AuditRequest.LineDto> m = new java.util.HashMap<>(q.lines().size() * 2);
        for (AuditRequest.LineDto l : q.lines()) {
            m.putIfAbsent(l.id(), l);
        }
        return m;
    }

    private static byte[] json(Object o) {
        try {
            return com.preaudit.platform.Json.MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request as the HIS sent it when the endpoint kept the bytes, else its serialisation. */
    static byte[] requestJson(AuditRecord r) {
        return r.requestJson() != null ? r.requestJson() : json(r.request());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // Before the embedded database stops (DatabaseLifecycle observes with a later priority). Every
    // acknowledged record is written before the application stops: the wait lasts as long as the
    // backlog keeps shrinking, and gives up only after shutdownFlush without progress (database down).
    void stop(@Observes @Priority(10) ShutdownEvent event) {
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        long limit = config.shutdownFlush().toNanos();
        long lastProgress = System.nanoTime();
        int lastBacklog = pending.size();
        // the watchdog keeps aborting stalled writes while the last records are written, then stops
        try {
            while (thread.isAlive()) {
                thread.join(500);
                int backlog = pending.size();
                if (backlog < lastBacklog) {
                    lastBacklog = backlog;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > limit + 5_000_000_000L) {
                    LOG.errorf("audit record writer made no progress for %ds; stopping with %d records not written",
                            config.shutdownFlush().toSeconds() + 5, backlog);
                    return;
                }
            }
            // the last committed batches' answers, still being sent
            answers.shutdown();
            answers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchdog.shutdownNow();
        }
    }
}
