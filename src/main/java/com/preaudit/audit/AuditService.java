package com.preaudit.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.catalog.CatalogRuntime;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Finding;
import com.preaudit.engine.Skipped;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Decision;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One audit: request → engine input → engine → findings → response → record → answer once the record is committed
 * (or queued, with {@code preaudit.audit.ack=queued}). The active catalog snapshot is read once, so an activation
 * during the audit does not affect it.
 */
@ApplicationScoped
public class AuditService {

    /** Who asked for the audit: stored with its record (PRODUCT.md §10). */
    @jakarta.inject.Inject
    ClientSubject subjects;


    private final CatalogRuntime catalog;
    private final AuditRecordWriter writer;
    private final AuditStore store;
    private final HistorySource history;
    private final ChargeStore charges;
    private final MeterRegistry metrics;
    private final Timer latency;
    private final ObjectMapper mapper;
    private final java.time.Duration idempotencyWindow;
    /** Statement timeout of the requestId lookup made while the history lookup rests (see {@link #run}). */
    private static final int REPLAY_TIMEOUT_SECONDS = 1;
    private final ConcurrentHashMap<String, Counter> findingCounters = new ConcurrentHashMap<>();
    /** When this node last began an audit ({@link System#nanoTime}): background work yields while audits arrive. */
    private volatile long lastAuditAt = System.nanoTime() - 3_600_000_000_000L;
    private final ConcurrentHashMap<String, Counter> errorCounters = new ConcurrentHashMap<>();

    public AuditService(CatalogRuntime catalog, AuditRecordWriter writer, AuditStore store, HistorySource history,
                        ChargeStore charges, MeterRegistry metrics, AuditConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.idempotencyWindow = config.idempotencyWindow();
        this.catalog = catalog;
        this.writer = writer;
        this.store = store;
        this.history = history;
        this.charges = charges;
        this.metrics = metrics;
        this.latency = Timer.builder("preaudit.audit.latency").description("engine time per audit")
                .publishPercentileHistogram().register(metrics);
        metrics.gauge("preaudit.catalog.version", catalog, c -> c.active() == null ? 0 : c.active().version());
        metrics.gauge("preaudit.catalog.cache.size", catalog, CatalogRuntime::cacheSize);
        metrics.gauge("preaudit.audit.records.pending", writer, AuditRecordWriter::backlog);
    }

    public AuditResponse audit(AuditRequest request) {
        return audit(request, null);
    }

    /**
     * Audits with only {@code onlyRules} (all rules when null), e.g. NHSA 3101's rule_ids. Returns when the record is
     * committed (blocking the caller's worker thread: the interop adapters are a small share of the traffic).
     */
    public AuditResponse audit(AuditRequest request, java.util.Set<String> onlyRules) {
        return run(request, null, onlyRules).toCompletableFuture().join().response();
    }

    /**
     * The native endpoint's path: the body as received and the answer as sent. The record stores
     * exactly these bytes, so the request is neither serialised again nor digested from a re-encoding
     * (the digest is of what the HIS sent), and the answer is serialised once for both uses.
     */
    public CompletionStage<byte[]> auditJson(byte[] body) throws java.io.IOException {
        AuditRequest request = body.length == 0 ? null : mapper.readValue(body, AuditRequest.class);
        return run(request, plainUtf8(body) ? body : null, null).thenApply(answer -> answer.json(mapper));
    }

    /**
     * Jackson also reads UTF-16/32 and a byte-order mark; the record stores the body as UTF-8 json,
     * so such a body is stored re-encoded instead of verbatim (the parser has already rejected
     * malformed UTF-8).
     */
    static boolean plainUtf8(byte[] body) {
        if (body.length >= 2 && (body[0] == 0 || body[1] == 0)) {
            return false;
        }
        int b0 = body.length == 0 ? 0 : body[0] & 0xFF;
        return b0 != 0xEF && b0 != 0xFE && b0 != 0xFF;
    }

    /**
     * The answer stored for a replayed {@code requestId}, or null when there is none or the store does not answer
     * (the audit then goes on as a new one, as it does in degraded mode).
     */
    private String storedAnswer(String requestId, OffsetDateTime since) {
        try {
            return charges.previousAnswer(requestId, since, REPLAY_TIMEOUT_SECONDS);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /** The answer, complete once the audit's record is committed (see {@link AuditRecordWriter}). */
    private CompletionStage<Answer> run(AuditRequest request, byte[] requestJson, java.util.Set<String> onlyRules) {
        lastAuditAt = System.nanoTime();
        AuditRequests.requireValid(request, "");
        String requestId = request.requestId();
        // A replayed requestId gets the answer already given: from the records still waiting for the
        // writer (also while the database is down), else from the store, asked below. No cache of
        // answers: 2,000 cached answers were 30 MB of object graphs that lived a few seconds, so young
        // collections copied them and the old generation filled with them (docs/bench-results/2026-12-03-round5-gc-and-answer-cache.md).
        if (requestId != null) {
            AuditRecord waiting = writer.pendingOfRequest(requestId);
            if (waiting != null) {
                // the first audit's answer, as given (or as it will be given, once its batch commits)
                return waiting.outcome().thenApply(Answer::of);
            }
        }
        CatalogSnapshot snapshot = catalog.active();
        if (snapshot == null) {
            throw new ApiException(503, "Service Unavailable", "no catalog version is loaded yet");
        }
        // Another node, or this one before a restart, may have answered the requestId: the store is
        // asked in the same statement as the stored history, and alone while that lookup rests.
        OffsetDateTime answeredSince = OffsetDateTime.now().minus(idempotencyWindow);
        HistorySource.Result stored = history.lookup(request, requestId, answeredSince);
        String previous = stored.previousAnswer();
        if (previous == null && !stored.available() && requestId != null && !writer.databaseDown()) {
            // The history lookup is resting after an outage while the writer already reaches the store:
            // records written since then are no longer pending, so only the store knows their requestIds.
            previous = storedAnswer(requestId, answeredSince);
        }
        if (previous != null) {
            return CompletableFuture.completedFuture(new Answer(AuditStore.readResponse(previous), null));
        }
        long start = System.nanoTime();
        AuditInput input = AuditRequests.toInput(request, stored.lines());
        AuditResult result = snapshot.audit(input, new AuditOptions(LocalDateTime.now(), stored.available(), onlyRules));
        AuditResponse response = respond(snapshot.version(), result, stored.exemptions(), !stored.available(), true, start);
        latency.record(response.elapsedMicros(), TimeUnit.MICROSECONDS);
        count(result);
        AuditRecord record = new AuditRecord(response.auditId(), OffsetDateTime.now(), request, response, requestJson,
                requestJson == null ? null : serialize(mapper, response), subjects.current())
                .withShadow(shadow(result.shadowFindings()));
        if (!writer.submit(record)) {
            throw new ApiException(503, "Service Unavailable", "the audit record backlog is full; retry shortly");
        }
        return record.outcome().thenApply(Answer::of);
    }

    /** Nanoseconds since this node last began an audit (any endpoint: native, CDS Hooks, NHSA). */
    public long nanosSinceLastAudit() {
        return System.nanoTime() - lastAuditAt;
    }

    /** An answer and, once it has been needed, its JSON (a replayed requestId gets the same bytes). */
    private record Answer(AuditResponse response, byte[] json) {
        static Answer of(AuditRecord answered) {
            return new Answer(answered.response(), answered.responseJson());
        }

        byte[] json(ObjectMapper mapper) {
            return json != null ? json : serialize(mapper, response);
        }
    }

    private static byte[] serialize(ObjectMapper mapper, AuditResponse response) {
        try {
            return mapper.writeValueAsBytes(response);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Audits without recording: dry runs of draft rules and rule tests. */
    public static AuditResponse dryRun(CatalogSnapshot snapshot, AuditRequest request, String onlyRule) {
        long start = System.nanoTime();
        AuditInput input = AuditRequests.toInput(request, List.of());
        AuditResult result = snapshot.audit(input, new AuditOptions(LocalDateTime.now(), true,
                onlyRule == null ? null : java.util.Set.of(onlyRule)));
        AuditResponse response = respond(snapshot.version(), result, List.of(), false, false, start);
        if (result.shadowFindings().isEmpty()) {
            return response;
        }
        // the author of a SHADOW rule sees what it finds (action SHADOW); the decision stays without it
        List<AuditResponse.FindingDto> all = new ArrayList<>(response.findings());
        all.addAll(shadow(result.shadowFindings()));
        return new AuditResponse(response.auditId(), response.catalogVersion(), response.decision(), all, response.skipped(),
                response.degraded(), response.recorded(), response.elapsedMicros());
    }

    /** The findings of SHADOW rules as they are recorded (never answered to an audit's caller). */
    private static List<AuditResponse.FindingDto> shadow(List<Finding> shadow) {
        if (shadow.isEmpty()) {
            return List.of();
        }
        List<AuditResponse.FindingDto> out = new ArrayList<>(shadow.size());
        for (Finding f : shadow) {
            out.add(new AuditResponse.FindingDto(Ids.newId(), f.ruleCode(), f.ruleName(), f.resultType(), f.action(), f.lineIds(),
                    f.itemCodes(), f.message(), f.amountAtRisk(), f.knowledgePointId(), f.basis()));
        }
        return out;
    }

    public Optional<AuditStore.StoredAudit> find(String auditId) {
        AuditRecord pending = writer.pending(auditId);
        if (pending != null) {
            return Optional.of(new AuditStore.StoredAudit(pending.auditId(), pending.createdAt(),
                    AuditRecordWriter.sha256(AuditRecordWriter.requestJson(pending)),
                    pending.request(), pending.response(), List.of(), pending.clientSubject()));
        }
        return store.find(auditId);
    }

    /** Stored audits by patient id or requestId (the console's search); see {@link AuditStore#search}. */
    public List<AuditStore.Summary> search(String value, AuditStore.SearchBy by, OffsetDateTime from, OffsetDateTime to, int limit) {
        return store.search(value, by, from, to, limit);
    }

    /**
     * The audit a finding belongs to, for the feedback channels that name only the finding (CDS Hooks
     * card uuid, NHSA 3103 warn_rslt_id): from the records still waiting for the writer, else from the
     * store. Nothing is indexed per finding on the audit path; a cache of ~12 entries per audit was
     * a tenth of the service's CPU samples at 800 audits/s (http-20261203T070108Z).
     */
    public Optional<String> auditIdOfFinding(String findingId) {
        String pending = writer.pendingAuditOfFinding(findingId);
        if (pending != null) {
            return Optional.of(pending);
        }
        return Optional.ofNullable(store.auditIdOfFinding(findingId));
    }

    /**
     * The engine's result as answered. A finding covered by one of the patient's valid {@code exemptions} (特批/备案: its
     * rule, and its item when the exemption names one) is answered as a notice carrying the exemption's id, with the
     * exemption in its message, and no longer counts towards the decision.
     */
    static AuditResponse respond(long version, AuditResult result, List<ChargeStore.ActiveExemption> exemptions, boolean degraded,
                                 boolean recorded, long startNanos) {
        List<AuditResponse.FindingDto> findings = new ArrayList<>(result.findings().size());
        Decision decision = result.decision();
        boolean exempted = false;
        for (Finding f : result.findings()) {
            ChargeStore.ActiveExemption e = exemptions.isEmpty() ? null : covering(exemptions, f);
            if (e == null) {
                findings.add(new AuditResponse.FindingDto(Ids.newId(), f.ruleCode(), f.ruleName(), f.resultType(),
                        f.action(), f.lineIds(), f.itemCodes(), f.message(), f.amountAtRisk(), f.knowledgePointId(), f.basis()));
            } else {
                exempted = true;
                findings.add(new AuditResponse.FindingDto(Ids.newId(), f.ruleCode(), f.ruleName(), f.resultType(),
                        Action.INFO, f.lineIds(), f.itemCodes(), exemptedMessage(e, f.message()), f.amountAtRisk(),
                        f.knowledgePointId(), f.basis(), e.id()));
            }
        }
        if (exempted) {
            decision = Decision.PASS;
            for (AuditResponse.FindingDto f : findings) {
                if (f.action() == Action.BLOCK) {
                    decision = Decision.BLOCK;
                    break;
                }
                if (f.action() == Action.WARN) {
                    decision = Decision.WARN;
                }
            }
        }
        List<AuditResponse.SkippedDto> skipped = new ArrayList<>(result.skipped().size());
        for (Skipped s : result.skipped()) {
            skipped.add(new AuditResponse.SkippedDto(s.ruleCode(), s.reason()));
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        return new AuditResponse(Ids.newId(), version, decision, findings, skipped, degraded, recorded, micros);
    }

    private static ChargeStore.ActiveExemption covering(List<ChargeStore.ActiveExemption> exemptions, Finding f) {
        for (ChargeStore.ActiveExemption e : exemptions) {
            if (e.covers(f.ruleCode(), f.itemCodes())) {
                return e;
            }
        }
        return null;
    }

    /** What the doctor reads instead of a block: the exemption, then what the rule found. */
    static String exemptedMessage(ChargeStore.ActiveExemption e, String message) {
        return "【已特批/备案" + (e.approvalNo() == null || e.approvalNo().isBlank() ? "" : "，批准文号" + e.approvalNo())
                + "，有效期至" + e.validTo() + "，本次不拦截】" + message;
    }

    private void count(AuditResult result) {
        for (Finding f : result.findings()) {
            findingCounters.computeIfAbsent(f.ruleCode(), code -> Counter.builder("preaudit.findings")
                    .description("findings by rule").tag("rule", code).register(metrics)).increment();
        }
        for (Skipped s : result.skipped()) {
            if (s.error()) {
                errorCounters.computeIfAbsent(s.ruleCode(), code -> Counter.builder("preaudit.rule.errors")
                        .description("rules that failed at run time").tag("rule", code).register(metrics)).increment();
            }
        }
    }

}
