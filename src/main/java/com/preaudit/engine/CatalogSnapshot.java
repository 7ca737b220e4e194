package com.preaudit.engine;

import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.runtime.AuditContext;
import com.preaudit.engine.runtime.PatternCache;
import com.preaudit.engine.sandbox.MvelHardening;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, compiled catalog version: every rule compiled once (sandbox + MVEL), every knowledge set indexed
 * once. Audits share it across threads; each audit allocates only its own {@link AuditContext}.
 */
public final class CatalogSnapshot {
    /** Audit date used by rule tests that give no time and whose lines carry none. */

    private final long version;
    private final CompiledRule[] rules;
    private final Map<String, CompiledRule> byCode;
    private final long rowCount;
    private final PatternCache patterns = new PatternCache();
    /** The code gate of the line rules that probe their set with each line's code; null when there is none. */
    private final CodeGate gate;
    /**
     * The compiled parts this snapshot took from (or gave to) a {@link CompileCache}, held here so that a cache holding
     * its values weakly keeps them exactly as long as a snapshot that uses them lives.
     */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Object[] cachedParts;

    private CatalogSnapshot(long version, CompiledRule[] rules, Map<String, CompiledRule> byCode, long rowCount,
                            Object[] cachedParts) {
        this.version = version;
        this.rules = rules;
        this.byCode = byCode;
        this.rowCount = rowCount;
        this.gate = CodeGate.build(rules);
        this.cachedParts = cachedParts;
    }

    /**
     * Compiles a catalog version.
     *
     * @param sets knowledge sets by name (the map key is the name rules refer to)
     * @throws CatalogCompileException with every problem of every rule and knowledge set
     */
    public static CatalogSnapshot compile(long version, List<RuleDefinition> rules, Map<String, KnowledgeSet> sets) {
        return compile(version, rules, sets, CompileCache.NONE);
    }

    /**
     * Compiles a catalog version, taking from {@code cache} every expression, template and knowledge index compiled
     * before from the same text or content (and leaving there what it compiles).
     */
    public static CatalogSnapshot compile(long version, List<RuleDefinition> rules, Map<String, KnowledgeSet> sets,
                                          CompileCache cache) {
        List<Object> parts = new ArrayList<>();
        CompileCache kept = new CompileCache() {
            @Override
            public <K, V> V get(K key, java.util.function.Function<? super K, ? extends V> compute) {
                V v = cache.get(key, compute);
                parts.add(v);
                return v;
            }
        };
        List<Problem> problems = new ArrayList<>();
        Map<String, KnowledgeIndex> indexes = new HashMap<>();
        long rows = 0;
        if (sets != null) {
            for (Map.Entry<String, KnowledgeSet> e : sets.entrySet()) {
                String name = e.getKey();
                KnowledgeSet s = e.getValue();
                if (name == null || s == null) {
                    problems.add(new Problem(null, "knowledgeSets", "knowledge set without a name or rows", null));
                    continue;
                }
                KnowledgeIndex idx;
                try {
                    idx = kept.get(new IndexKey(new KnowledgeSet(name, s.columns(), s.rows())), k -> index(k.set()));
                } catch (InvalidRows invalid) {
                    for (String p : invalid.problems) problems.add(new Problem(null, "knowledgeSets." + name, p, null));
                    idx = invalid.index;
                }
                indexes.put(name, idx);
                rows += idx.size();
            }
        }
        List<CompiledRule> compiled = new ArrayList<>();
        Map<String, CompiledRule> byCode = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                RuleDefinition r = rules.get(i);
                if (r == null) {
                    problems.add(new Problem(null, "rules[" + i + "]", "rule is null", null));
                    continue;
                }
                if (r.code() != null && !seen.add(r.code())) {
                    problems.add(new Problem(r.code(), "code", "duplicate rule code", null));
                    continue;
                }
                CompiledRule c = RuleCompiler.compile(r, indexes, indexes.keySet(), problems, kept);
                if (c != null) {
                    compiled.add(c);
                    byCode.put(c.code, c);
                }
            }
        }
        if (!problems.isEmpty()) throw new CatalogCompileException(problems);
        return new CatalogSnapshot(version, compiled.toArray(new CompiledRule[0]),
            Collections.unmodifiableMap(byCode), rows, parts.toArray());
    }

    /** A knowledge index is a function of its set's whole content (name, columns, rows). */
    private record IndexKey(KnowledgeSet set) { }

    /** A set with invalid rows: reported on every compile, so never cached. */
    private static final class InvalidRows extends RuntimeException {
        final transient KnowledgeIndex index;
        final transient List<String> problems;

        InvalidRows(KnowledgeIndex index, List<String> problems) {
            super(null, null, false, false);
            this.index = index;
            this.problems = problems;
        }
    }

    private static KnowledgeIndex index(KnowledgeSet set) {
        List<String> rowProblems = new ArrayList<>();
        KnowledgeIndex idx = KnowledgeIndex.build(set, rowProblems);
        if (!rowProblems.isEmpty()) throw new InvalidRows(idx, rowProblems);
        return idx;
    }

    /**
     * Audits one request. Never throws for a bad rule: a rule that fails is reported in {@code skipped}.
     *
     * @throws IllegalArgumentException when {@code in} is null
     */
    public AuditResult audit(AuditInput in, AuditOptions options) {
        return audit(in, options, null);
    }

    /**
     * What an audit did besides its result, for tests of the gates: how many rules were run past them, how many
     * knowledge-set probes and {@code when} evaluations it took.
     */
    record Work(int rulesRun, int indexProbes, int evaluations) {}

    /** {@link #audit(AuditInput, AuditOptions)}, also telling what it did ({@link Work}) into {@code work[0]}. */
    AuditResult audit(AuditInput in, AuditOptions options, Work[] work) {
        if (in == null) throw new IllegalArgumentException("audit input is required");
        LocalDateTime now = options == null || options.now() == null ? LocalDateTime.now() : options.now();
        boolean historyAvailable = options == null || options.historyAvailable();
        Set<String> only = options == null ? null : options.onlyRules();
        AuditContext ctx = new AuditContext(in, now, patterns);
        LocalDate date = ctx.auditDate();
        List<Finding> findings = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        CodeGate.Listing listing = gate == null ? null : gate.list(ctx.requestLines());
        CompiledRule.Run run = new CompiledRule.Run(ctx);   // reused by every rule of this audit
        ClassLoader prev = MvelHardening.enter();
        try {
            for (CompiledRule r : rules) {
                if (only != null && !only.contains(r.code)) continue;
                int f = findings.size(), k = skipped.size();
                try {
                    r.audit(ctx, in, date, historyAvailable, listing, findings, skipped, run);
                } catch (RuntimeException | LinkageError e) {
                    // last line of defence: whatever a rule does, the audit answers
                    findings.subList(f, findings.size()).clear();
                    skipped.subList(k, skipped.size()).clear();
                    skipped.add(new Skipped(r.code, "rule failed: " + CompiledRule.describe(e), true));
                }
            }
        } finally {
            MvelHardening.exit(prev);
        }
        if (work != null) work[0] = new Work(run.rulesRun, run.indexProbes, run.evaluations);
        // SHADOW findings are recorded apart and never answered or decided on (PRODUCT.md §11)
        List<Finding> shadow = null;
        for (Finding f : findings) {
            if (f.action() == Action.SHADOW) {
                if (shadow == null) shadow = new ArrayList<>(2);
                shadow.add(f);
            }
        }
        if (shadow != null) findings.removeAll(shadow);
        return new AuditResult(decide(findings), Collections.unmodifiableList(findings), Collections.unmodifiableList(skipped),
            shadow == null ? List.of() : Collections.unmodifiableList(shadow));
    }

    /** The decision over findings: BLOCK when any blocks, else WARN when any warns, else PASS (SHADOW never decides). */
    public static Decision decide(List<Finding> findings) {
        Decision d = Decision.PASS;
        for (Finding f : findings) {
            if (f.action() == Action.BLOCK) {
                return Decision.BLOCK;
            }
            if (f.action() == Action.WARN) d = Decision.WARN;
        }
        return d;
    }

    /**
     * Runs every rule's own tests against this snapshot ({@link RuleTestRunner}).
     *
     * @return one entry per failing test; empty when all pass
     */
    public List<TestFailure> runRuleTests() {
        return RuleTestRunner.run(this, rules);
    }

    public long version() {
        return version;
    }

    public int ruleCount() {
        return rules.length;
    }

    /** Rows over all knowledge sets of this version. */
    public long knowledgeRowCount() {
        return rowCount;
    }

    /** The rule's definition, or null. */
    public RuleDefinition rule(String code) {
        CompiledRule r = byCode.get(code);
        return r == null ? null : r.def;
    }

    /** The compiled rules in catalog order and the code gate (null when no rule is gated): for tests of the gates. */
    CompiledRule[] compiledRules() {
        return rules;
    }

    CodeGate gate() {
        return gate;
    }

    /** All rule definitions in catalog order. */
    public List<RuleDefinition> rules() {
        List<RuleDefinition> out = new ArrayList<>(rules.length);
        for (CompiledRule r : rules) out.add(r.def);
        return Collections.unmodifiableList(out);
    }
}
