package com.preaudit.catalog;

import com.preaudit.platform.ChangeLog;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.preaudit.engine.CatalogCompileException;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.KnowledgeCsv;
import com.preaudit.engine.KnowledgeCsvException;
import com.preaudit.engine.Problem;
import com.preaudit.engine.RuleValidator;
import com.preaudit.engine.TestFailure;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Draft editing, publishing and activation. Every change is validated before anything is written
 * (a rejected change leaves the draft as it was) and written in one transaction. The in-memory
 * active snapshot is swapped only after the database commit.
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);
    static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final CatalogStore store;
    private final CatalogRuntime runtime;
    private final AgroalDataSource ds;
    private final CatalogConfig config;
    private final ChangeLog changeLog;

    public CatalogService(CatalogStore store, CatalogRuntime runtime, AgroalDataSource ds, CatalogConfig config, ChangeLog changeLog) {
        this.store = store;
        this.runtime = runtime;
        this.ds = ds;
        this.config = config;
        this.changeLog = changeLog;
    }

    /** {@code status}: APPROVED (and active), or PENDING until another rule-publisher approves it. */
    public record PublishResult(int version, int rules, long rows, String status) { }

    private record Published(PublishResult result, CatalogSnapshot snapshot, long seq) { }

    /** What the database says is active: a version and the activation sequence that made it so. */
    public record ActiveTarget(int version, long seq) { }

    // ---- rules ---------------------------------------------------------------------------------

    public RuleDefinition rule(String code, Integer version) {
        int v = versionOrDraft(version);
        return QuarkusTransaction.joiningExisting().call(() -> store.rule(v, code))
                .orElseThrow(() -> ApiException.notFound("no rule " + code + (version == null ? " in the draft" : " in version " + version)));
    }

    public List<RuleDefinition> rules(Integer version, String q, String tier) {
        int v = versionOrDraft(version);
        return QuarkusTransaction.joiningExisting().call(() -> store.rules(v, q, tier));
    }

    /** Validates and saves; returns true when the rule is new to the draft. */
    public boolean putRule(String code, RuleDefinition body) {
        requireCode(code);
        if (body == null) {
            throw ApiException.badRequest("a rule body is required", List.of(new FieldError("/", "missing body")));
        }
        if (body.code() != null && !body.code().equals(code)) {
            throw ApiException.unprocessable("the body's code differs from the path",
                    List.of(new FieldError("/code", "must be " + code + " (the code in the path)")));
        }
        RuleDefinition rule = withCode(body, code);
        return QuarkusTransaction.requiringNew().call(() -> {
            Set<String> sets = draftSetNames();
            throwIfProblems("the rule is invalid; the draft was not changed", RuleValidator.validate(rule, sets), "");
            boolean created = store.rule(CatalogStore.DRAFT, code).isEmpty();
            store.putDraftRule(rule);
            store.touchDraft();
            changeLog.record("rule.put", code, created ? "new rule " + rule.name() : rule.name());
            return created;
        });
    }

    public void deleteRule(String code) {
        boolean removed = QuarkusTransaction.requiringNew().call(() -> {
            boolean r = store.deleteDraftRule(code);
            if (r) {
                store.touchDraft();
                changeLog.record("rule.delete", code, null);
            }
            return r;
        });
        if (!removed) {
            throw ApiException.notFound("no rule " + code + " in the draft");
        }
    }

    public List<Problem> validate(RuleDefinition rule) {
        Set<String> sets = QuarkusTransaction.joiningExisting().call(this::draftSetNames);
        return RuleValidator.validate(rule, sets);
    }

    // ---- knowledge sets ------------------------------------------------------------------------

    public KnowledgeSet parseCsv(String name, String csv) {
        requireSetName(name);
        if (csv == null || csv.isBlank()) {
            throw ApiException.unprocessable("the CSV is empty", List.of(new FieldError("/", "a header row with item_codes is required")));
        }
        try {
            return KnowledgeCsv.parse(name, new StringReader(csv));
        } catch (KnowledgeCsvException e) {
            List<FieldError> errors = new ArrayList<>();
            e.errors().forEach(ce -> errors.add(new FieldError("/rows/" + ce.row() + (ce.column() == null ? "" : "/" + ce.column()), ce.message())));
            throw ApiException.unprocessable("the knowledge CSV has " + errors.size() + " error(s); nothing was replaced", errors);
        }
    }

    public CatalogStore.SetInfo putKnowledgeSet(KnowledgeSet set) {
        return QuarkusTransaction.requiringNew().call(() -> {
            store.replaceDraftSet(set);
            store.touchDraft();
            changeLog.record("knowledge-set.put", set.name(), set.rows().size() + " rows");
            return new CatalogStore.SetInfo(set.name(), set.columns(), set.rows().size());
        });
    }

    public void deleteKnowledgeSet(String name) {
        QuarkusTransaction.requiringNew().run(() -> {
            List<String> users = store.rules(CatalogStore.DRAFT, null, null).stream()
                    .filter(r -> name.equals(r.knowledgeSet())).map(RuleDefinition::code).toList();
            if (!users.isEmpty()) {
                throw ApiException.conflict("knowledge set " + name + " is used by draft rule(s) " + users);
            }
            if (!store.deleteDraftSet(name)) {
                throw ApiException.notFound("no knowledge set " + name + " in the draft");
            }
            store.touchDraft();
            changeLog.record("knowledge-set.delete", name, null);
        });
    }

    // ---- import ---------------------------------------------------------------------------------

    /** Replaces the whole draft with {@code content} after validating every rule against its sets. */
    public void replaceDraft(CatalogContent content) {
        List<FieldError> errors = new ArrayList<>();
        for (RuleDefinition r : content.rules().values()) {
            for (Problem p : RuleValidator.validate(r, content.sets().keySet())) {
                errors.add(fieldError("rules/" + r.code() + ".yaml", p));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the catalog has " + errors.size() + " invalid rule field(s); nothing was imported", errors);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            store.state(true);
            store.deleteDraftRules();
            store.deleteDraftSets();
            store.setDraftMeta(content.meta());
            content.rules().values().forEach(store::putDraftRule);
            content.sets().values().forEach(store::replaceDraftSet);
            store.touchDraft();
            changeLog.record("catalog.import", "draft", content.rules().size() + " rules, " + content.sets().size() + " knowledge sets");
        });
    }

    // ---- versions ------------------------------------------------------------------------------

    /**
     * Validates the draft (compile + every rule's own tests), freezes it as the next version and
     * makes it active. {@code basedOn} must name the active version, so two authors working from the
     * same version cannot silently overwrite each other: the second gets 409.
     */
    public PublishResult publish(String note, Integer basedOn, String author) {
        return publish(note, basedOn, author, null);
    }

    /**
     * With {@code preaudit.catalog.approval=required} the new version is PENDING: frozen, listed, never served until
     * another rule-publisher approves it ({@link #approve}). {@code bootstrapSubject}: the first-start import, active
     * at once and recorded as published by that subject (there is no second person yet); null for a caller's publish.
     */
    public PublishResult publish(String note, Integer basedOn, String author, String bootstrapSubject) {
        boolean pending = bootstrapSubject == null && config.approval() == CatalogConfig.Approval.required;
        Published published = QuarkusTransaction.requiringNew().timeout(120).call(() -> {
            CatalogStore.State state = store.state(true);
            Integer active = state.activeVersion();
            if (active == null ? basedOn != null && basedOn != 0 : !active.equals(basedOn)) {
                throw ApiException.conflict("basedOn " + basedOn + " is not the active version ("
                        + (active == null ? "none" : active) + "); reload the catalog, check what changed and publish again");
            }
            CatalogContent draft = store.load(CatalogStore.DRAFT);
            int next = store.maxVersion() + 1;
            CatalogSnapshot snapshot = compileOrThrow(next, draft);
            List<TestFailure> failures = snapshot.runRuleTests();
            if (!failures.isEmpty()) {
                List<FieldError> errors = failures.stream()
                        .map(f -> new FieldError("/rules/" + f.ruleCode() + "/tests/" + f.testName(), f.message())).toList();
                throw ApiException.unprocessable(failures.size() + " rule test(s) failed; nothing was published", errors);
            }
            int rows = (int) draft.rowCount();
            store.copyDraftTo(next, note, author, basedOn, draft.rules().size(), rows);
            CatalogApproval approval = new CatalogApproval();
            approval.version = next;
            approval.status = pending ? CatalogApproval.PENDING : CatalogApproval.APPROVED;
            // who published: the credential's subject (the first-start import: system), beside the free-text author
            String publisher = bootstrapSubject != null ? bootstrapSubject : changeLog.subject();
            approval.publishedBy = publisher;
            store.setPublishedBy(next, publisher);
            approval.publishedAt = OffsetDateTime.now(ZoneOffset.UTC);
            approval.persist();
            String target = "version/" + next;
            // the publisher's own note, as they wrote it; whether the version waits for approval is its status
            String what = note == null || note.isBlank() ? null : note;
            if (bootstrapSubject != null) {
                changeLog.recordAs(bootstrapSubject, "version.publish", target, what);
            } else {
                changeLog.record("version.publish", target, what);
            }
            long seq = -1;
            if (!pending) {
                seq = store.setActive(next);
                notifyVersion(next);
            }
            return new Published(new PublishResult(next, draft.rules().size(), rows, approval.status), snapshot, seq);
        });
        PublishResult result = published.result();
        if (pending) {
            // compiled already: keep it, so the approval swaps it in without compiling again
            runtime.put(published.snapshot());
            LOG.infof("published catalog version %d (%d rules, %d knowledge rows), pending approval", result.version(), result.rules(),
                    result.rows());
            return result;
        }
        // only after the commit: a failed commit must not leave a phantom version in memory
        runtime.activate(published.snapshot(), published.seq());
        LOG.infof("published catalog version %d (%d rules, %d knowledge rows)", result.version(), result.rules(), result.rows());
        return result;
    }

    /**
     * Approves a PENDING version and makes it active: 409 once decided (approved or rejected), 403 for its own
     * publisher, 409 when the active version is no longer the one it was based on (approving it would undo what was
     * published meanwhile: publish again from the active version).
     */
    public void approve(int version, String note) {
        CatalogSnapshot snapshot = snapshot(version);
        String subject = changeLog.subject();
        long seq = QuarkusTransaction.requiringNew().call(() -> {
            CatalogStore.State state = store.state(true);
            CatalogApproval a = pendingApproval(version);
            if (a.publishedBy.equals(subject)) {
                throw new ApiException(403, "Forbidden", "version " + version + " was published by " + subject
                        + "; another rule-publisher must approve it");
            }
            int based = store.basedOn(version).orElse(0);
            int active = state.activeVersion() == null ? 0 : state.activeVersion();
            if (based != active) {
                throw ApiException.conflict("version " + version + " is based on version " + based + " but version " + active
                        + " is active now; reject it and publish again from the active version");
            }
            a.status = CatalogApproval.APPROVED;
            a.decidedBy = subject;
            a.decidedAt = OffsetDateTime.now(ZoneOffset.UTC);
            a.note = note;
            changeLog.record("version.approve", "version/" + version, note);
            long s = store.setActive(version);
            notifyVersion(version);
            return s;
        });
        runtime.activate(snapshot, seq);
        LOG.infof("approved and activated catalog version %d", version);
    }

    /** Rejects a PENDING version (409 once decided); it stays listed and can never be activated. */
    public void reject(int version, String note) {
        QuarkusTransaction.requiringNew().run(() -> {
            store.state(true);
            CatalogApproval a = pendingApproval(version);
            a.status = CatalogApproval.REJECTED;
            a.decidedBy = changeLog.subject();
            a.decidedAt = OffsetDateTime.now(ZoneOffset.UTC);
            a.note = note;
            changeLog.record("version.reject", "version/" + version, note);
        });
        LOG.infof("rejected catalog version %d", version);
    }

    private CatalogApproval pendingApproval(int version) {
        CatalogApproval a = CatalogApproval.findById(version);
        if (a == null) {
            throw ApiException.notFound("no catalog version " + version);
        }
        if (!CatalogApproval.PENDING.equals(a.status)) {
            throw ApiException.conflict("version " + version + " is " + a.status + " already (by " + a.decidedBy + ")");
        }
        return a;
    }

    /** Makes an existing version active (rollback or roll forward). */
    public void activate(int version) {
        if (version <= 0 || !QuarkusTransaction.joiningExisting().call(() -> store.versionExists(version))) {
            throw ApiException.notFound("no catalog version " + version);
        }
        CatalogSnapshot snapshot = snapshot(version);
        long seq = QuarkusTransaction.requiringNew().call(() -> {
            store.state(true);
            // only approved versions ever serve: a pending one waits for its approval, a rejected one never will
            CatalogApproval a = CatalogApproval.findById(version);
            if (a != null && !CatalogApproval.APPROVED.equals(a.status)) {
                throw ApiException.conflict("version " + version + " is " + a.status
                        + (CatalogApproval.PENDING.equals(a.status) ? "; another rule-publisher must approve it" : "; it cannot be activated"));
            }
            long s = store.setActive(version);
            changeLog.record("version.activate", "version/" + version, null);
            notifyVersion(version);
            return s;
        });
        runtime.activate(snapshot, seq);
        LOG.infof("activated catalog version %d", version);
    }

    /** The compiled snapshot of a version, from the cache or compiled from the database. */
    public CatalogSnapshot snapshot(int version) {
        CatalogSnapshot s = runtime.cached(version);
        if (s != null) {
            return s;
        }
        CatalogContent content = QuarkusTransaction.joiningExisting().call(() -> store.load(version));
        if (content == null) {
            throw ApiException.notFound("no catalog version " + version);
        }
        s = compileOrThrow(version, content);
        runtime.put(s);
        return s;
    }

    public boolean versionExists(int version) {
        return version > 0 && QuarkusTransaction.joiningExisting().call(() -> store.versionExists(version));
    }

    /** The draft as it is now (rules and knowledge sets), for a caller that compiles it with {@link #compile}. */
    public CatalogContent draftContent() {
        return QuarkusTransaction.joiningExisting().call(() -> store.load(CatalogStore.DRAFT));
    }

    /** Compiles content as a throwaway snapshot (not cached, not activated); 422 naming the rules that do not compile. */
    public CatalogSnapshot compile(long version, CatalogContent content) {
        return compileOrThrow(version, content);
    }

    /** Compiles the draft as a throwaway snapshot (version 0) for dry runs. */
    public CatalogSnapshot draftSnapshot() {
        CatalogContent draft = QuarkusTransaction.joiningExisting().call(() -> store.load(CatalogStore.DRAFT));
        return compileOrThrow(0, draft);
    }

    /** Brings this node to the database's active version; called on NOTIFY and by the periodic check. */
    public void syncActive(int hint) {
        CatalogSnapshot current = runtime.active();
        if (hint > 0 && current != null && current.version() == hint) {
            return;
        }
        ActiveTarget target = activeTarget();
        if (target == null || target.seq() <= runtime.activeSeq()) {
            return;
        }
        // what the version costs this node is worth a line in its log: PRODUCT.md §9 gives it 1 s
        String cost = "compiled already";
        CatalogSnapshot snapshot = runtime.cached(target.version());
        if (snapshot == null) {
            long start = System.nanoTime();
            CatalogContent content = content(target.version());
            long loaded = System.nanoTime();
            snapshot = compileOrThrow(target.version(), content);
            runtime.put(snapshot);
            cost = "loaded in " + (loaded - start) / 1_000_000 + " ms, compiled in " + (System.nanoTime() - loaded) / 1_000_000 + " ms";
        }
        if (install(target, snapshot)) {
            LOG.infof("catalog version %d activated from the database (%s)", target.version(), cost);
        }
    }

    /** The database's active version and its activation sequence, or null when none is active. */
    ActiveTarget activeTarget() {
        CatalogStore.State state = QuarkusTransaction.requiringNew().call(() -> store.state(false));
        return state.activeVersion() == null ? null : new ActiveTarget(state.activeVersion(), state.activationSeq());
    }

    /**
     * Installs a snapshot compiled for {@code target}; compiling takes seconds, so a publish or
     * activation may have landed meanwhile, and then the later one stays.
     */
    boolean install(ActiveTarget target, CatalogSnapshot snapshot) {
        return runtime.activate(snapshot, target.seq());
    }

    public CatalogContent content(int version) {
        CatalogContent c = QuarkusTransaction.joiningExisting().call(() -> store.load(version));
        if (c == null) {
            throw ApiException.notFound("no catalog version " + version);
        }
        return c;
    }

    public Integer activeVersion() {
        return QuarkusTransaction.joiningExisting().call(() -> store.state(false).activeVersion());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private CatalogSnapshot compileOrThrow(long version, CatalogContent content) {
        try {
            return CatalogSnapshot.compile(version, content.ruleList(), content.sets(), runtime.compileCache());
        } catch (CatalogCompileException e) {
            List<FieldError> errors = e.problems().stream().map(p -> fieldError("/rules/" + p.ruleCode(), p)).toList();
            throw ApiException.unprocessable("the catalog does not compile; nothing was changed", errors);
        }
    }

    private void notifyVersion(int version) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(CatalogNotifier.notifySql())) {
            ps.setString(1, Integer.toString(version));
            ps.execute();
        } catch (SQLException e) {
            throw CatalogStore.failed(e);
        }
    }

    private Set<String> draftSetNames() {
        Set<String> names = new HashSet<>();
        store.sets(CatalogStore.DRAFT).forEach(s -> names.add(s.name()));
        return names;
    }

    private int versionOrDraft(Integer version) {
        if (version == null) {
            return CatalogStore.DRAFT;
        }
        if (version <= 0) {
            throw ApiException.badRequest("version must be a published version number (1, 2, …)",
                    List.of(new FieldError("version", "must be ≥ 1")));
        }
        return version;
    }

    static void requireCode(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw ApiException.badRequest("invalid rule code", List.of(new FieldError("code",
                    "1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")));
        }
    }

    static void requireSetName(String name) {
        if (name == null || !SET_NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid knowledge set name", List.of(new FieldError("name",
                    "1–100 letters, digits, '.', '_' or '-', starting with a letter or digit")));
        }
    }

    static void throwIfProblems(String detail, List<Problem> problems, String prefix) {
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(detail, problems.stream().map(p -> fieldError(prefix, p)).toList());
        }
    }

    static FieldError fieldError(String prefix, Problem p) {
        String field = p.field() == null ? prefix : prefix + "/" + p.field().replace('.', '/').replace("[", "/").replace("]", "");
        return new FieldError(field.isEmpty() ? "/" : field, p.message(), p.position());
    }

    static RuleDefinition withCode(RuleDefinition r, String code) {
        return new RuleDefinition(code, r.name(), r.tier(), r.category(), r.resultType(), r.actions(), r.scenarios(),
                r.insuranceTypes(), r.hospitalLevels(), r.effectiveFrom(), r.effectiveTo(), r.source(), r.params(),
                r.knowledgeSet(), r.scope(), r.matchOn(), r.itemTypes(), r.when(), r.message(), r.tests(), r.enabled(),
                r.suspiciousWhen());
    }
}
