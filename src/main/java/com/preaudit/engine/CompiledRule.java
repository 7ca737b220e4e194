package com.preaudit.engine;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.KpValues;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.runtime.AuditContext;
import com.preaudit.engine.runtime.DiagnosisView;
import com.preaudit.engine.runtime.LineView;
import com.preaudit.engine.runtime.ClinicalData;
import com.preaudit.engine.runtime.ItemTypes;
import com.preaudit.engine.runtime.MissingDataException;
import com.preaudit.engine.sandbox.ExpressionInfo;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.templates.CompiledTemplate;
import org.mvel2.templates.TemplateRuntime;

/**
 * One rule of a catalog snapshot: its definition, its compiled expression and template, and everything about it
 * that can be decided before an audit (applicability data, scope, history dependence, required data).
 * Immutable and shared by all audit threads.
 */
final class CompiledRule {
    private static final IndexedRow[] NO_ROW = {null};
    private static final Set<String> ALL_INSURANCE_TYPES =
        Set.of("EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY", "SELF_PAY");

    final RuleDefinition def;
    final String code;
    private final Action[] actionByStage;
    private final int scenarioMask;            // 0 = any scenario
    private final Set<String> insuranceTypes;  // null = any
    private final int levelMask;               // 0 = any level
    private final LocalDate from, to;
    private final boolean enabled;
    final KnowledgeIndex index;                // null without knowledge set
    private final String setName;
    private final Scope scope;
    private final MatchOn matchOn;
    private final String[] itemTypes;          // null = all
    /**
     * For line rules with an {@code itemTypes} filter, the {@link ItemTypes} bits of the types it lists (never 0),
     * else 0: such a rule is not run on a request none of whose lines has one of those types.
     */
    final int typeGate;
    private final ExecutableStatement when;
    private final CompiledTemplate message;
    private final ExecutableStatement suspicious;   // null: every finding has the rule's resultType
    private final KpValues params;
    final boolean historyDependent;
    private final boolean needsBirthDate;
    private final int requiredData;            // ClinicalData bits the expressions read
    /**
     * Position of this rule in the snapshot's {@link CodeGate}, or -1 when the rule is not gated. Gated rules are
     * LINE/ITEM rules with a knowledge set: a line can only match such a rule when the gate lists the rule for the
     * line's code, so the rule visits only those lines, and is not run at all when there are none.
     */
    int gateSlot = -1;

    CompiledRule(RuleDefinition def, String setName, KnowledgeIndex index, ExecutableStatement when,
                 CompiledTemplate message, ExpressionInfo whenInfo, ExpressionInfo messageInfo, KpValues params,
                 ExecutableStatement suspicious, ExpressionInfo suspiciousInfo) {
        this.def = def;
        this.code = def.code();
        this.actionByStage = new Action[Stage.values().length];
        def.actions().forEach((s, a) -> actionByStage[s.ordinal()] = a);
        int sm = 0;
        if (def.scenarios() != null) for (Scenario s : def.scenarios()) if (s != null) sm |= 1 << s.ordinal();
        // listing every scenario (as catalog files often do) is no restriction: a request without one still runs
        this.scenarioMask = sm == (1 << Scenario.values().length) - 1 ? 0 : sm;
        Set<String> it = def.insuranceTypes() == null ? new HashSet<>() : new HashSet<>(def.insuranceTypes());
        it.remove(null);
        this.insuranceTypes = it.isEmpty() || it.containsAll(ALL_INSURANCE_TYPES) ? null : Set.copyOf(it);
        int lm = 0;
        if (def.hospitalLevels() != null) for (Integer l : def.hospitalLevels()) if (l != null) lm |= 1 << l;
        this.levelMask = lm == 0b1110 ? 0 : lm;
        this.from = def.effectiveFrom();
        this.to = def.effectiveTo();
        this.enabled = !Boolean.FALSE.equals(def.enabled());
        this.setName = setName;
        this.index = index;
        this.scope = def.scope() != null ? def.scope() : setName != null ? Scope.LINE : Scope.ORDER;
        this.matchOn = def.matchOn() != null ? def.matchOn() : MatchOn.ITEM;
        this.itemTypes = def.itemTypes() == null || def.itemTypes().isEmpty() ? null
            : def.itemTypes().toArray(new String[0]);
        int tg = 0;
        if (itemTypes != null && scope == Scope.LINE && !(matchOn == MatchOn.DIAGNOSIS && index != null)) {
            for (String t : itemTypes) tg |= ItemTypes.bit(t);
        }
        this.typeGate = tg;
        this.when = when;
        this.message = message;
        this.params = params;
        this.suspicious = suspicious;
        this.historyDependent = whenInfo.historyDependent() || messageInfo.historyDependent()
            || suspiciousInfo != null && suspiciousInfo.historyDependent();
        this.needsBirthDate = whenInfo.needsBirthDate() || messageInfo.needsBirthDate()
            || suspiciousInfo != null && suspiciousInfo.needsBirthDate();
        this.requiredData = ClinicalData.required(whenInfo) | ClinicalData.required(messageInfo);
    }

    /** Whether the snapshot's code gate can decide which lines may match this rule (see {@link #gateSlot}). */
    boolean gateable() {
        return index != null && scope == Scope.LINE && matchOn == MatchOn.ITEM;
    }

    /** Action at the stage, or null when the rule does not apply there. */
    Action action(Stage stage) {
        return stage == null ? null : actionByStage[stage.ordinal()];
    }

    /** The stage a rule test runs at when its request names none: the first stage the rule acts at. */
    Stage firstStage() {
        for (Stage s : Stage.values()) if (actionByStage[s.ordinal()] != null) return s;
        return null;
    }

    /** The scenario a rule test runs in when its request names none: the first the rule is restricted to. */
    Scenario firstScenario() {
        if (scenarioMask == 0) return null;
        for (Scenario s : Scenario.values()) if ((scenarioMask & (1 << s.ordinal())) != 0) return s;
        return null;
    }

    LocalDate effectiveFrom() {
        return from;
    }

    LocalDate effectiveTo() {
        return to;
    }

    /**
     * Evaluates this rule against one audit, appending to {@code findings} / {@code skipped}.
     * A rule failure (exception, non-boolean) discards this rule's findings for the request; missing data
     * leaves the undecidable line out and reports the reason once.
     */
    void audit(AuditContext ctx, AuditInput in, LocalDate date, boolean historyAvailable, CodeGate.Listing gate,
               List<Finding> findings, List<Skipped> skipped, Run run) {
        // the gates first: a line rule with no line it can match has nothing to find or to report as skipped
        if (gateSlot >= 0 && gate.isEmpty(gateSlot)) return;
        if (typeGate != 0 && (typeGate & ctx.itemTypesPresent()) == 0) return;
        if (!enabled) return;
        Action action = action(in.stage());
        if (action == null) return;
        if (from != null && date.isBefore(from) || to != null && date.isAfter(to)) return;
        String deferred = null;   // reason to skip once we know the rule has something to look at
        if (scenarioMask != 0) {
            if (in.scenario() == null) deferred = "scenario missing";
            else if ((scenarioMask & (1 << in.scenario().ordinal())) == 0) return;
        }
        if (insuranceTypes != null) {
            String t = in.patient() == null ? null : in.patient().insuranceType();
            if (t == null) deferred = deferred != null ? deferred : "patient.insuranceType missing";
            else if (!insuranceTypes.contains(t)) return;
        }
        if (levelMask != 0) {
            Integer l = in.hospital() == null ? null : in.hospital().level();
            if (l == null) deferred = deferred != null ? deferred : "hospital.level missing";
            else if (l < 0 || l > 30 || (levelMask & (1 << l)) == 0) return;
        }
        if (deferred == null && historyDependent && !historyAvailable) {
            deferred = "stored history unavailable (degraded mode)";
        }
        if (deferred == null && needsBirthDate && (in.patient() == null || in.patient().birthDate() == null)) {
            deferred = "patient.birthDate missing";
        }
        if (deferred == null && requiredData != 0) {
            int missing = requiredData & ~ctx.presentData();
            if (missing != 0) deferred = ClinicalData.reason(missing);
        }

        run.start(this, action);
        ctx.bindRule(index, params);
        boolean decided;
        if (scope == Scope.ORDER) {
            if (deferred != null) {
                skipped.add(new Skipped(code, deferred, false));
                return;
            }
            decided = run.order();
        } else if (matchOn == MatchOn.DIAGNOSIS && index != null) {
            decided = run.diagnoses(deferred, skipped);
        } else {
            decided = gateSlot >= 0 ? run.gatedLines(deferred, skipped, gate) : run.lines(deferred, skipped);
        }
        if (decided) run.commit(findings, skipped);
    }

    boolean typeOk(LineView l) {
        if (itemTypes == null) return true;
        String t = l.itemTypeEffective();
        if (t == null) return false;
        for (String it : itemTypes) if (it.equals(t)) return true;
        return false;
    }

    /**
     * State of one rule's evaluation within one audit. One instance per audit, {@link #start restarted} for each rule
     * that applies (rules run one after the other on the audit's thread), instead of one per rule and audit.
     */
    static final class Run {
        private final AuditContext ctx;
        private CompiledRule rule;
        private Action action;
        private ArrayList<Pending> pending;   // usually 0 or 1 entries; a new list for each rule that fires
        private String missing;
        private Skipped failure;
        // what the audit did, for tests of the gates (CatalogSnapshot.Work)
        int rulesRun, indexProbes, evaluations;

        Run(AuditContext ctx) {
            this.ctx = ctx;
        }

        /** Forgets the previous rule's state and starts evaluating {@code rule}. */
        void start(CompiledRule rule, Action action) {
            this.rule = rule;
            this.action = action;
            this.rulesRun++;
            this.pending = null;
            this.missing = null;
            this.failure = null;
        }

        /**
         * A line rule the code gate does not cover: every request line (probing the rule's set, if any).
         * False when the rule was skipped for missing data before evaluating (already reported), else true.
         */
        boolean lines(String deferred, List<Skipped> skipped) {
            LineView[] req = ctx.requestLines();
            KnowledgeIndex idx = rule.index;
            for (LineView l : req) {
                IndexedRow[] rows;
                if (idx != null) {
                    indexProbes++;
                    rows = idx.lookup(l.getItemCode());
                    if (rows.length == 0) continue;
                } else {
                    rows = NO_ROW;
                }
                int r = line(l, rows, deferred, skipped);
                if (r != 0) return r > 0;
            }
            return true;
        }

        /** A gated line rule: only the request lines the code gate lists for it, in request order. */
        boolean gatedLines(String deferred, List<Skipped> skipped, CodeGate.Listing gate) {
            LineView[] req = ctx.requestLines();
            KnowledgeIndex idx = rule.index;
            int[] listed = gate.lines;
            int prev = -1;
            for (int k = gate.start[rule.gateSlot], end = gate.start[rule.gateSlot + 1]; k < end; k++) {
                int i = listed[k];
                if (i == prev) continue;   // two of the set's codes (an exact code and a prefix) match this line
                prev = i;
                LineView l = req[i];
                indexProbes++;
                IndexedRow[] rows = idx.lookup(l.getItemCode());
                if (rows.length == 0) continue;
                int r = line(l, rows, deferred, skipped);
                if (r != 0) return r > 0;
            }
            return true;
        }

        /**
         * One line with the rows its code matched: 0 to go on with the next line, 1 to stop (the rule failed; its
         * failure is recorded), -1 to stop because the rule is skipped for missing data (already reported).
         */
        private int line(LineView l, IndexedRow[] rows, String deferred, List<Skipped> skipped) {
            if (!rule.typeOk(l)) return 0;
            if (deferred != null) {
                skipped.add(new Skipped(rule.code, deferred, false));
                return -1;
            }
            for (IndexedRow row : rows) {
                ctx.bindLine(l, row);
                int r = eval();
                if (r < 0) return 1;
                if (r == 1) {
                    fire(row, l);
                    break;
                }
            }
            return 0;
        }

        boolean diagnoses(String deferred, List<Skipped> skipped) {
            KnowledgeIndex idx = rule.index;
            ctx.bindLine(null, null);
            for (DiagnosisView d : ctx.diagnoses()) {
                indexProbes++;
                IndexedRow[] rows = idx.lookup(d.getCode());
                if (rows.length == 0) continue;
                if (deferred != null) {
                    skipped.add(new Skipped(rule.code, deferred, false));
                    return false;
                }
                for (IndexedRow row : rows) {
                    ctx.bindDiagnosis(d, row);
                    int r = eval();
                    if (r < 0) return true;
                    if (r == 1) {
                        fire(row, null);
                        break;
                    }
                }
            }
            return true;
        }

        boolean order() {
            ctx.bindLine(null, null);
            int r = eval();
            if (r < 0) return true;
            if (r == 1) {
                String msg = render();
                Pending p = new Pending(null, msg, resultType());
                for (LineView l : ctx.requestLines()) if (rule.typeOk(l)) p.add(l);
                add(p);
            }
            return true;
        }

        /** 1 fired, 0 did not fire (or could not decide), -1 rule failed (recorded in {@link #failure}). */
        private int eval() {
            evaluations++;
            Object v;
            try {
                v = rule.when.getValue(null, ctx.scope());
            } catch (VirtualMachineError e) {
                if (e instanceof StackOverflowError) return fail("stack overflow");
                throw e;
            } catch (Throwable t) {
                MissingDataException m = missingData(t);
                if (m != null) {
                    if (missing == null) missing = m.reason();
                    return 0;
                }
                return fail(describe(t));
            }
            if (v instanceof Boolean b) return b ? 1 : 0;
            return fail("when returned " + (v == null ? "null" : v.getClass().getSimpleName() + " '" + v + "'")
                + " instead of a boolean");
        }

        private int fail(String reason) {
            failure = new Skipped(rule.code, "rule failed: " + reason, true);
            return -1;
        }

        private void fire(IndexedRow row, LineView l) {
            String msg = render();
            ResultType type = resultType();
            if (pending != null) {
                for (Pending p : pending) {
                    if (p.row == row && p.message.equals(msg) && p.resultType == type) {
                        if (l != null) p.add(l);
                        return;
                    }
                }
            }
            Pending p = new Pending(row, msg, type);
            if (l != null) p.add(l);
            add(p);
        }

        private void add(Pending p) {
            if (pending == null) pending = new ArrayList<>(2);
            pending.add(p);
        }

        /**
         * The fired finding's result type: SUSPICIOUS where the rule's {@code suspiciousWhen} holds (the codes alone
         * cannot decide it), else the rule's own. An expression that fails or is not a boolean leaves the rule's own.
         */
        private ResultType resultType() {
            if (rule.suspicious == null) return rule.def.resultType();
            try {
                return Boolean.TRUE.equals(rule.suspicious.getValue(null, ctx.scope())) ? ResultType.SUSPICIOUS : rule.def.resultType();
            } catch (VirtualMachineError e) {
                if (e instanceof StackOverflowError) return rule.def.resultType();
                throw e;
            } catch (Throwable t) {
                return rule.def.resultType();
            }
        }

        /** The rendered message; a failing template falls back to the rule name (the violation stands). */
        private String render() {
            try {
                // as TemplateRuntime.execute(message, null, scope), but into the audit's reused buffer
                Object o = TemplateRuntime.execute(rule.message.getRoot(), rule.message.getTemplate(),
                    ctx.messageBuffer(), null, ctx.scope(), null);
                return o == null ? "" : o.toString();
            } catch (VirtualMachineError e) {
                if (e instanceof StackOverflowError) return rule.def.name();
                throw e;
            } catch (Throwable t) {
                return rule.def.name();
            }
        }

        void commit(List<Finding> findings, List<Skipped> skipped) {
            if (failure != null) {
                skipped.add(failure);
                return;
            }
            if (pending != null) {
                RuleDefinition d = rule.def;
                for (Pending p : pending) {
                    String basis = p.row != null && p.row.basis() != null ? p.row.basis() : d.source();
                    findings.add(new Finding(rule.code, d.name(), p.resultType, action,
                        Collections.unmodifiableList(p.lineIds), Collections.unmodifiableList(p.itemCodes), p.message,
                        p.amount, p.row == null ? null : p.row.kpId(), basis));
                }
            }
            if (missing != null) skipped.add(new Skipped(rule.code, missing, false));
        }
    }

    /** A finding being accumulated: lines in request order. */
    private static final class Pending {
        final IndexedRow row;
        final String message;
        final ResultType resultType;
        final ArrayList<String> lineIds = new ArrayList<>(2);
        final ArrayList<String> itemCodes = new ArrayList<>(2);
        BigDecimal amount = BigDecimal.ZERO;

        Pending(IndexedRow row, String message, ResultType resultType) {
            this.row = row;
            this.message = message;
            this.resultType = resultType;
        }

        void add(LineView l) {
            lineIds.add(l.getId());
            String c = l.getItemCode();
            if (c != null && !itemCodes.contains(c)) itemCodes.add(c);
            if (l.getAmount() != null) amount = amount.add(l.getAmount());
        }
    }

    static MissingDataException missingData(Throwable t) {
        for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
            if (t instanceof MissingDataException m) return m;
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** A one-line description of what went wrong, with MVEL's wrappers peeled off. */
    static String describe(Throwable t) {
        Throwable root = t;
        for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) root = root.getCause();
        String m = root.getMessage();
        if (root instanceof org.mvel2.CompileException ce) m = RuleCompiler.mvelMessage(ce);
        else if (m != null && m.contains("[Error: ")) {
            int a = m.indexOf("[Error: "), b = m.indexOf(']', a);
            if (b > a) m = m.substring(a + 8, b).trim();
        }
        String type = root.getClass().getSimpleName();
        if (root instanceof NullPointerException && (m == null || m.isBlank())) {
            return "NullPointerException (a property or method of a null value was used)";
        }
        return RuleCompiler.oneLine(m == null || m.isBlank() ? type : type + ": " + m);
    }
}
