package com.preaudit.audit;

import com.preaudit.engine.model.Line;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stored history of a patient for an audit: the charge lines posted through {@code POST /charges}
 * that the audited lines can need (see {@link ChargeStore#history}). When PostgreSQL does not answer
 * the audit goes on without it ({@code available = false}: the engine skips history rules and the
 * answer says {@code degraded}). A small circuit breaker keeps a dead database from costing every
 * audit a connection attempt: after a failure, audits skip the lookup for {@code retryAfter}, then a
 * single audit probes again while the others keep answering degraded.
 * <p>
 * A node keeps copies of recently audited patients' lines ({@link PatientHistory}), checked against
 * the store's per-patient version on every audit: an inpatient is audited many times a day and
 * charged far less often, so most audits read one version row instead of all their lines again,
 * and a charge posted through any node is seen by the next audit on every node.
 */
@ApplicationScoped
public class HistorySource {

    private static final Logger LOG = Logger.getLogger(HistorySource.class);

    /** The stored lines, whether the store answered, and the answer already given to the request's requestId. */
    public record Result(List<Line> lines, boolean available, String previousAnswer, List<ChargeStore.ActiveExemption> exemptions) { }

    // Without the store there are no exemptions either: an exempted finding is answered as the rule says (degraded).
    private static final Result UNAVAILABLE = new Result(List.of(), false, null, List.of());

    private final ChargeStore charges;
    private final HistoryConfig config;
    private final int timeoutSeconds;
    /** System.nanoTime() before which the database is not asked again; 0 = closed (healthy). */
    private final AtomicLong openUntil = new AtomicLong();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Patients' live lines by patient id, each valid at its version (null when copies are off). */
    private final Cache<String, PatientHistory> copies;

    public HistorySource(ChargeStore charges, HistoryConfig config, MeterRegistry metrics) {
        this.charges = charges;
        this.config = config;
        this.copies = config.cacheLines() <= 0 ? null : Caffeine.newBuilder()
                .maximumWeight(config.cacheLines())
                .weigher((String patient, PatientHistory copy) -> copy.weight())
                .build();
        this.timeoutSeconds = (int) Math.max(1, config.queryTimeout().toSeconds());
        // 1 while audits answer without stored history: what an operator alerts on
        metrics.gauge("preaudit.history.degraded", this, s -> s.degraded() ? 1 : 0);
    }

    /** With {@code requestId}: also the answer given to it since {@code answeredSince}, read in the same statement. */
    public Result lookup(AuditRequest request, String requestId, OffsetDateTime answeredSince) {
        long until = openUntil.get();
        boolean probe = false;
        if (until != 0) {
            if (System.nanoTime() < until || !probing.compareAndSet(false, true)) {
                return UNAVAILABLE;
            }
            probe = true;
        }
        try {
            ChargeStore.HistoryQuery query = query(request);
            ChargeStore.Lookup found;
            try {
                found = read(query, requestId, answeredSince);
            } catch (SQLException first) {
                // After PostgreSQL restarts, the pool still holds dead connections; the failed one is
                // discarded, so one immediate retry tells a stale connection from a dead server.
                if (probe || !isConnectionFailure(first)) {
                    throw first;
                }
                found = read(query, requestId, answeredSince);
            }
            if (until != 0) {
                LOG.info("stored history is reachable again; audits are no longer degraded");
            }
            openUntil.set(0);
            return new Result(found.lines(), true, found.previousAnswer(), found.exemptions());
        } catch (SQLException | RuntimeException e) {
            if (openUntil.getAndSet(System.nanoTime() + config.retryAfter().toNanos()) == 0) {
                LOG.warnf("stored history unavailable (%s); audits answer degraded until the database is back", e.getMessage());
            }
            return UNAVAILABLE;
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }

    /**
     * Through the patient's in-memory copy when there is one and its version is still the store's
     * (one primary-key probe, in the statement that also checks the requestId); a changed version
     * brings the new lines in that same statement. Without copies, the store's history query.
     */
    private ChargeStore.Lookup read(ChargeStore.HistoryQuery q, String requestId, OffsetDateTime answeredSince) throws SQLException {
        if (copies == null) {
            // a node without copies reads the exemptions with a statement of their own
            ChargeStore.Lookup found = charges.history(q, requestId, answeredSince);
            return found.previousAnswer() != null ? found
                    : found.with(charges.exemptions(q.patientId(), LocalDate.now(), q.timeoutSeconds()));
        }
        PatientHistory copy = copies.getIfPresent(q.patientId());
        ChargeStore.Check check = charges.check(q.patientId(), copy == null ? -1 : copy.version(), requestId, answeredSince,
                config.cachePatientLines(), timeoutSeconds);
        if (check.previousAnswer() != null) {
            return new ChargeStore.Lookup(List.of(), check.previousAnswer());
        }
        if (check.lines() != null) {
            copy = new PatientHistory(check.version(), check.complete() ? check.lines().toArray(Line[]::new) : null);
            copies.put(q.patientId(), copy);
        }
        if (copy.lines() == null) {
            return charges.history(q, null, null).with(check.exemptions());
        }
        return new ChargeStore.Lookup(copy.select(q), null, check.exemptions());
    }

    /** True while audits are answered without stored history. */
    public boolean degraded() {
        return openUntil.get() != 0;
    }

    ChargeStore.HistoryQuery query(AuditRequest request) {
        return query(request, LocalDateTime.now());
    }

    /**
     * The stored lines an audit of {@code request} made at {@code auditTime} read, given the patient's lines
     * that were live then ({@code liveNewestFirst}, ordered as {@link ChargeStore#history} orders them): the same
     * selection (items, window, days, encounter, limit) the audit made from its copy or the store. Impact
     * simulations replay stored requests with it, each with the history as it stood at its own time.
     */
    public List<Line> selectAsOf(AuditRequest request, LocalDateTime auditTime, List<Line> liveNewestFirst) {
        if (liveNewestFirst.isEmpty()) {
            return List.of();
        }
        return new PatientHistory(0, liveNewestFirst.toArray(Line[]::new)).select(query(request, auditTime));
    }

    ChargeStore.HistoryQuery query(AuditRequest request, LocalDateTime now) {
        LocalDateTime earliest = null;
        LocalDateTime latest = null;
        List<String> codes = new ArrayList<>(request.lines().size());
        TreeSet<LocalDate> days = new TreeSet<>();
        for (AuditRequest.LineDto l : request.lines()) {
            // the engine dates a line without orderedAt at the audit time; so does the lookup
            LocalDateTime at = l.orderedAt() != null ? l.orderedAt() : now;
            earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
            latest = latest == null || at.isAfter(latest) ? at : latest;
            codes.add(l.itemCode());
            days.add(at.toLocalDate());
        }
        String encounterId = request.encounter() == null ? null : request.encounter().id();
        return new ChargeStore.HistoryQuery(request.patient().id(), encounterId,
                earliest.toLocalDate().minusDays(config.lookbackDays()).atStartOfDay(),
                latest.toLocalDate().plusDays(1).atStartOfDay(),
                ChargeStore.prefixes(codes, config.codePrefixLength()), days, config.maxLines(), timeoutSeconds);
    }

    private static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return false;   // the server did not answer in time: asking again would wait as long again
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
