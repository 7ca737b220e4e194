package com.preaudit.engine;

import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.Values;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.RuleTest;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.sandbox.ExpressionInfo;
import com.preaudit.engine.sandbox.MvelHardening;
import com.preaudit.engine.sandbox.Sandbox;
import com.preaudit.engine.sandbox.SandboxViolation;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mvel2.CompileException;
import org.mvel2.MVEL;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.templates.CompiledTemplate;
import org.mvel2.templates.TemplateCompiler;

/**
 * Validates and compiles one rule: the single path shared by {@link RuleValidator} and {@link CatalogSnapshot},
 * so that what validates is exactly what runs. Sandbox first, then MVEL, each with a fresh parser context.
 */
final class RuleCompiler {
    private static final Set<String> ITEM_TYPES = Set.of("DRUG", "HERB", "SERVICE", "MATERIAL");

    private RuleCompiler() {}

    /**
     * @param indexes   compiled knowledge sets by name, or null to skip knowledge checks (validation only)
     * @param knownSets names of known knowledge sets, or null not to check
     * @return the compiled rule, or null when {@code problems} received at least one entry for this rule
     */
    static CompiledRule compile(RuleDefinition r, Map<String, KnowledgeIndex> indexes, Set<String> knownSets,
                                List<Problem> problems) {
        return compile(r, indexes, knownSets, problems, CompileCache.NONE);
    }

    /** As above, taking each expression and template compiled before for the same text from {@code cache}. */
    static CompiledRule compile(RuleDefinition r, Map<String, KnowledgeIndex> indexes, Set<String> knownSets,
                                List<Problem> problems, CompileCache cache) {
        int before = problems.size();
        String code = r.code();
        if (blank(code)) problems.add(new Problem(code, "code", "code is required", null));
        if (blank(r.name())) problems.add(new Problem(code, "name", "name is required", null));
        if (r.resultType() == null) problems.add(new Problem(code, "resultType", "resultType is required", null));
        if (r.actions() == null || r.actions().isEmpty()) {
            problems.add(new Problem(code, "actions", "actions must name at least one stage", null));
        } else {
            for (Map.Entry<Stage, Action> e : r.actions().entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    problems.add(new Problem(code, "actions", "every action needs a stage and an action", null));
                }
            }
        }
        if (r.effectiveFrom() != null && r.effectiveTo() != null && r.effectiveTo().isBefore(r.effectiveFrom())) {
            problems.add(new Problem(code, "effectiveTo", "effectiveTo is before effectiveFrom", null));
        }
        if (r.itemTypes() != null) {
            for (String t : r.itemTypes()) {
                if (t == null || !ITEM_TYPES.contains(t)) {
                    problems.add(new Problem(code, "itemTypes", "unknown item type '" + t
                        + "' (DRUG, HERB, SERVICE, MATERIAL)", null));
                }
            }
        }
        if (r.hospitalLevels() != null) {
            for (Integer l : r.hospitalLevels()) {
                if (l == null || l < 1 || l > 3) {
                    problems.add(new Problem(code, "hospitalLevels", "hospital level must be 1, 2 or 3", null));
                }
            }
        }
        String set = r.knowledgeSet();
        if (set != null && set.isBlank()) set = null;
        if (set != null && knownSets != null && !knownSets.contains(set)) {
            problems.add(new Problem(code, "knowledgeSet", "unknown knowledge set '" + set + "'", null));
        }
        if (r.matchOn() == MatchOn.DIAGNOSIS && set == null) {
            problems.add(new Problem(code, "matchOn", "matchOn DIAGNOSIS needs a knowledgeSet", null));
        }
        if (r.matchOn() == MatchOn.DIAGNOSIS && r.scope() == Scope.ORDER) {
            problems.add(new Problem(code, "matchOn", "matchOn DIAGNOSIS needs scope LINE", null));
        }

        Expression when = null;
        if (blank(r.when())) {
            problems.add(new Problem(code, "when", "when is required", null));
        } else {
            when = compiled(code, "when", r.when(), true, () -> expression(r.when(), cache), problems);
        }
        Template message = null;
        if (blank(r.message())) {
            problems.add(new Problem(code, "message", "message is required", null));
        } else {
            message = compiled(code, "message", r.message(), false, () -> template(r.message(), cache), problems);
        }
        Expression suspicious = blank(r.suspiciousWhen()) ? null
            : compiled(code, "suspiciousWhen", r.suspiciousWhen(), true, () -> expression(r.suspiciousWhen(), cache), problems);
        if (r.tests() != null) {
            for (int i = 0; i < r.tests().size(); i++) {
                RuleTest t = r.tests().get(i);
                if (t == null || t.request() == null) {
                    problems.add(new Problem(code, "tests[" + i + "]", "test needs a request", null));
                }
            }
        }
        if (problems.size() != before) return null;

        KnowledgeIndex index = null;
        if (set != null && indexes != null) {
            index = indexes.get(set);
            if (index == null) {
                problems.add(new Problem(code, "knowledgeSet", "unknown knowledge set '" + set + "'", null));
                return null;
            }
        }
        return new CompiledRule(r, set, index, when.statement(), message.template(), when.info(), message.info(),
            Values.params(r.params()), suspicious == null ? null : suspicious.statement(), suspicious == null ? null : suspicious.info());
    }

    /**
     * One field's expression or template of rule {@code code}, compiled; null, with the reason (the sandbox's, MVEL's
     * with its position in {@code text} when {@code positioned}, or any other failure's) added to {@code problems}.
     */
    private static <T> T compiled(String code, String field, String text, boolean positioned, Checked<T> compile,
                                  List<Problem> problems) {
        try {
            return compile.get();
        } catch (SandboxViolation v) {
            problems.add(new Problem(code, field, v.reason(), v.position()));
        } catch (CompileException e) {
            problems.add(new Problem(code, field, mvelMessage(e), positioned ? position(e, text) : null));
        } catch (RuntimeException | LinkageError e) {
            problems.add(new Problem(code, field, "does not compile: " + oneLine(e.getMessage()), null));
        }
        return null;
    }

    /** A checked and compiled expression: a function of its text alone, so one compile serves every rule and version. */
    record Expression(ExpressionInfo info, ExecutableStatement statement) { }

    /** A checked and compiled message template, likewise a function of its text alone. */
    record Template(ExpressionInfo info, CompiledTemplate template) { }

    private record ExpressionKey(String text) { }

    private record TemplateKey(String text) { }

    private static Expression expression(String text, CompileCache cache) throws SandboxViolation {
        return cached(new ExpressionKey(text), cache, () -> new Expression(Sandbox.checkExpression(text), compileExpression(text)));
    }

    private static Template template(String text, CompileCache cache) throws SandboxViolation {
        return cached(new TemplateKey(text), cache, () -> new Template(Sandbox.checkTemplate(text), compileTemplate(text)));
    }

    private interface Checked<T> {
        T get() throws SandboxViolation;
    }

    private static <T> T cached(Object key, CompileCache cache, Checked<T> compile) throws SandboxViolation {
        try {
            return cache.get(key, k -> {
                try {
                    return compile.get();
                } catch (SandboxViolation v) {
                    throw new Refused(v);
                }
            });
        } catch (Refused r) {
            throw r.violation;
        }
    }

    /** Carries the sandbox's (checked) refusal out of a cache's compute function; nothing is cached for it. */
    private static final class Refused extends RuntimeException {
        final SandboxViolation violation;

        Refused(SandboxViolation violation) {
            super(null, null, false, false);
            this.violation = violation;
        }
    }

    /** MVEL compile with a context used for this compile only; numeric operations rewritten (results unchanged). */
    static ExecutableStatement compileExpression(String expr) {
        ClassLoader prev = MvelHardening.enter();
        try {
            Serializable s = MVEL.compileExpression(expr, MvelHardening.newParserContext());
            // same tree, with mvel2's BigDecimal-vs-Integer coercion made allocation-free (see DecimalOperations)
            return DecimalOperations.rewrite((ExecutableStatement) s);
        } finally {
            MvelHardening.exit(prev);
        }
    }

    /** MVEL template compile with a context used for this compile only. */
    static CompiledTemplate compileTemplate(String template) {
        ClassLoader prev = MvelHardening.enter();
        try {
            return TemplateCompiler.compileTemplate(template, MvelHardening.newParserContext());
        } finally {
            MvelHardening.exit(prev);
        }
    }

    static String mvelMessage(CompileException e) {
        String m = e.getMessage();
        if (m == null) return "does not compile";
        int a = m.indexOf("[Error: ");
        if (a >= 0) {
            int b = m.indexOf(']', a);
            if (b > a) return "does not compile: " + m.substring(a + 8, b).trim();
        }
        return "does not compile: " + oneLine(m);
    }

    private static Integer position(CompileException e, String expr) {
        int c = e.getCursor();
        if (c < 0) return null;
        return Math.min(c, expr.length());
    }

    static String oneLine(String m) {
        if (m == null) return "";
        String s = m.replace('\n', ' ').replace('\r', ' ').trim();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
