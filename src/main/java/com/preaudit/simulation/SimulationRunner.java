package com.preaudit.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditRequests;
import com.preaudit.audit.AuditStore;
import com.preaudit.audit.ChargeStore;
import com.preaudit.audit.HistorySource;
import com.preaudit.catalog.CatalogContent;
import com.preaudit.catalog.CatalogService;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Line;
import com.preaudit.platform.ApiException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays one simulation on a worker thread. The stored audits of the period are read a page at a time in
 * (created_at, audit_id) order on one connection; each stored request is parsed exactly as it was received and
 * audited by the candidate and by the baseline catalog, both at the original audit's time and with the stored
 * history as it stood then: the patient's charge lines recorded by then and not refunded by then, selected as
 * the audit selected them, plus the request's own {@code history}. Only the simulation row is written: its
 * progress after every page (which is also where a cancel is noticed) and its result at the end.
 */
@ApplicationScoped
public class SimulationRunner {

    private static final Logger LOG = Logger.getLogger(SimulationRunner.class);

    private final AgroalDataSource ds;
    private final CatalogService catalog;
    private final HistorySource history;
    private final SimulationConfig config;
    private final ObjectMapper mapper;
    private final com.preaudit.audit.AuditService audits;
    /** The zone the audit service reads its clock in (LocalDateTime.now()): an audit's "now" is its created_at there. */
    private final ZoneId auditZone = ZoneId.systemDefault();

    public SimulationRunner(AgroalDataSource ds, CatalogService catalog, HistorySource history, SimulationConfig config,
                            ObjectMapper mapper, com.preaudit.audit.AuditService audits) {
        this.audits = audits;
        this.ds = ds;
        this.catalog = catalog;
        this.history = history;
        this.config = config;
        this.mapper = mapper;
    }

    void run(UUID id, AtomicBoolean cancel) {
        Simulation s = QuarkusTransaction.requiringNew().call(() -> {
            Simulation row = Simulation.findById(id);
            if (row != null && row.status == Simulation.Status.RUNNING) {
                row.startedAt = OffsetDateTime.now();
            }
            return row;
        });
        if (s == null || s.status != Simulation.Status.RUNNING) {
            return;
        }
        ImpactTally tally = new ImpactTally(config.samples(), config.maxRows());
        long replayStart = 0;
        long cpuStart = 0;
        try {
            CatalogSnapshot baseline = catalog.snapshot(s.baselineVersion);
            // the draft is read once and compiled from what was read, so the rules compared are the rules run
            CatalogContent candidateContent = s.candidateVersion == null ? catalog.draftContent() : catalog.content(s.candidateVersion);
            CatalogSnapshot candidate = s.candidateVersion == null ? catalog.compile(0, candidateContent) : catalog.snapshot(s.candidateVersion);
            CatalogPair catalogs = new CatalogPair(candidate, candidateContent, baseline, catalog.content(s.baselineVersion));
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(true);
                long total = AuditStore.count(c, s.periodStart, s.periodEnd, s.stage, s.scenario);
                if (!progress(id, 0, total)) {
                    finishCancelled(id, tally, 0, 0);
                    return;
                }
                replayStart = System.nanoTime();
                cpuStart = cpuNanos();
                OffsetDateTime afterAt = s.periodStart.minusNanos(1000);
                UUID afterId = new UUID(0, 0);
                while (true) {
                    if (cancel.get()) {
                        finishCancelled(id, tally, replayStart, cpuStart);
                        return;
                    }
                    List<AuditStore.StoredRequest> page = AuditStore.page(c, s.periodStart, s.periodEnd, s.stage, s.scenario,
                            afterAt, afterId, Math.max(1, config.pageSize()));
                    if (page.isEmpty()) {
                        break;
                    }
                    replayPage(c, page, catalogs, tally, cancel);
                    AuditStore.StoredRequest last = page.get(page.size() - 1);
                    afterAt = last.createdAt();
                    afterId = last.auditId();
                    if (!progress(id, tally.audits(), Math.max(total, tally.audits()))) {
                        finishCancelled(id, tally, replayStart, cpuStart);
                        return;
                    }
                }
            }
            SimulationResult result = tally.result(millisSince(replayStart), (cpuNanos() - cpuStart) / 1_000_000);
            String json = mapper.writeValueAsString(result);
            QuarkusTransaction.requiringNew().run(() -> Simulation.update(
                    "status = ?1, result = ?2, finishedAt = ?3, replayed = ?4 where id = ?5 and status = ?6",
                    Simulation.Status.DONE, json, OffsetDateTime.now(), result.audits(), id, Simulation.Status.RUNNING));
            LOG.infof("simulation %s done: %d audits replayed, %d changed", id, result.audits(), result.changedAudits());
        } catch (Exception e) {
            String reason = e instanceof ApiException a ? a.getMessage() + (a.errors().isEmpty() ? "" : " " + a.errors()) : e.toString();
            LOG.warnf("simulation %s failed: %s", id, reason);
            try {
                QuarkusTransaction.requiringNew().run(() -> Simulation.update(
                        "status = ?1, failureReason = ?2, finishedAt = ?3 where id = ?4 and status = ?5",
                        Simulation.Status.FAILED, "failed: " + reason, OffsetDateTime.now(), id, Simulation.Status.RUNNING));
            } catch (RuntimeException again) {
                // the database is away: the row stays RUNNING until a node sees this one's lock gone
                LOG.warnf("simulation %s: could not record the failure: %s", id, again.getMessage());
            }
        }
    }

    private void replayPage(Connection c, List<AuditStore.StoredRequest> page, CatalogPair catalogs, ImpactTally tally,
                            AtomicBoolean cancel) throws Exception {
        AuditRequest[] requests = new AuditRequest[page.size()];
        Set<String> patients = new HashSet<>();
        for (int i = 0; i < requests.length; i++) {
            try {
                AuditRequest r = AuditStore.readRequest(page.get(i).request());
                if (r != null && r.patient() != null && r.patient().id() != null && r.lines() != null && !r.lines().isEmpty()) {
                    requests[i] = r;
                    patients.add(r.patient().id());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // counted as unreadable below
            }
        }
        Map<String, List<ChargeStore.DatedLine>> stored = ChargeStore.linesRecordedBy(c, patients, page.get(page.size() - 1).createdAt());
        long chunkCpu = cpuNanos();
        for (int i = 0; i < requests.length; i++) {
            if ((i & 15) == 0) {
                if (cancel.get()) {
                    return;
                }
                chunkCpu = pace(chunkCpu);
            }
            AuditStore.StoredRequest record = page.get(i);
            AuditRequest r = requests[i];
            if (r == null) {
                tally.unreadable();
                continue;
            }
            try {
                OffsetDateTime at = record.createdAt();
                LocalDateTime now = at.atZoneSameInstant(auditZone).toLocalDateTime();
                List<Line> lines = history.selectAsOf(r, now, liveAt(stored.get(r.patient().id()), at));
                AuditInput input = AuditRequests.toInput(r, lines);
                CatalogPair.Results both = catalogs.audit(input, now);
                tally.add(record.auditId().toString(), input.lines(),
                        r.encounter() == null ? null : r.encounter().departmentCode(),
                        r.encounter() == null ? null : r.encounter().doctorId(), both.candidate(), both.baseline());
            } catch (RuntimeException e) {
                tally.unreadable();
            }
        }
    }

    /** The patient's lines that stood at {@code at}: recorded by then and not refunded by then, newest first. */
    private static List<Line> liveAt(List<ChargeStore.DatedLine> lines, OffsetDateTime at) {
        if (lines == null) {
            return List.of();
        }
        List<Line> out = new ArrayList<>(lines.size());
        for (ChargeStore.DatedLine l : lines) {
            if (l.liveAt(at)) {
                out.add(l.line());
            }
        }
        return out;
    }

    /** Records progress; false when the row is no longer RUNNING (cancelled, or ended by another node). */
    private static boolean progress(UUID id, long replayed, long total) {
        return QuarkusTransaction.requiringNew().call(() -> Simulation.update(
                "replayed = ?1, total = ?2 where id = ?3 and status = ?4", replayed, total, id, Simulation.Status.RUNNING)) > 0;
    }

    /** A cancelled simulation keeps what it had replayed by then as its result. */
    private void finishCancelled(UUID id, ImpactTally tally, long replayStart, long cpuStart) throws Exception {
        SimulationResult result = tally.result(replayStart == 0 ? 0 : millisSince(replayStart),
                replayStart == 0 ? 0 : (cpuNanos() - cpuStart) / 1_000_000);
        String json = mapper.writeValueAsString(result);
        QuarkusTransaction.requiringNew().run(() -> Simulation.update(
                "result = ?1, replayed = ?2 where id = ?3 and status = ?4 and result is null",
                json, result.audits(), id, Simulation.Status.CANCELLED));
        LOG.infof("simulation %s cancelled after %d audits", id, result.audits());
    }

    /**
     * Bounds the worker's share of a core: after every 16 stored audits it rests in proportion to the CPU they took,
     * at {@code busy-cpu} while this node answers audits (one began within the last 100 ms) and at {@code max-cpu}
     * otherwise. Returns the CPU clock to measure the next chunk from.
     */
    private long pace(long chunkStartCpu) {
        long now = cpuNanos();
        double share = audits.nanosSinceLastAudit() < BUSY_WINDOW_NANOS ? Math.min(config.maxCpu(), config.busyCpu()) : config.maxCpu();
        long busy = now - chunkStartCpu;
        if (share >= 1 || share <= 0 || busy <= 0) {
            return now;
        }
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.min((long) (busy * (1 / share - 1)), MAX_REST_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return cpuNanos();
    }

    private static final long BUSY_WINDOW_NANOS = 100_000_000L;
    private static final long MAX_REST_NANOS = 2_000_000_000L;

    /** CPU time of this worker thread (the replay's own cost, whatever else the machine runs). */
    private static long cpuNanos() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : 0;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
