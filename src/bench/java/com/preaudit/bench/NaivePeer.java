package com.preaudit.bench;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.KpValues;
import com.preaudit.engine.knowledge.Values;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.runtime.AuditContext;
import com.preaudit.engine.runtime.DiagnosisView;
import com.preaudit.engine.runtime.LineView;
import com.preaudit.engine.runtime.PatternCache;
import com.preaudit.engine.sandbox.MvelHardening;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mvel2.MVEL;
import org.mvel2.templates.TemplateRuntime;

/**
 * The naive peer: what a first engine would do with the same rules and data. Every rule's {@code when} text is
 * interpreted by {@code MVEL.eval} (no compiled-expression cache) for every request line against every knowledge
 * row of the rule's set that matches the line's code, found by scanning the rows (no index); a firing rule's message
 * is rendered by {@code TemplateRuntime.eval} from its text. It reuses the engine's variable views and {@code fn}
 * library, so the findings are the same and only the evaluation strategy differs. Applicability (stage, scenario,
 * level, insurance type, dates) is checked as the engine does.
 */
public final class NaivePeer {
    private final List<RuleDefinition> rules;
    private final Map<String, KnowledgeIndex> indexes = new HashMap<>();   // only for fn functions that need ctx.index
    private final Map<String, IndexedRow[]> rows = new HashMap<>();        // every row of every set, set order
    private final Map<String, KpValues> params = new HashMap<>();
    private final PatternCache patterns = new PatternCache();

    public NaivePeer(List<RuleDefinition> rules, Map<String, KnowledgeSet> sets) {
        this.rules = rules;
        for (Map.Entry<String, KnowledgeSet> e : sets.entrySet()) {
            KnowledgeIndex idx = KnowledgeIndex.build(e.getValue(), new ArrayList<>());
            indexes.put(e.getKey(), idx);
            List<IndexedRow> all = new ArrayList<>();
            for (KnowledgeRow r : e.getValue().rows()) {
                for (IndexedRow ir : idx.lookup(r.itemCodes().get(0))) {
                    if (ir.kpId().equals(r.kpId())) {
                        all.add(ir);
                        break;
                    }
                }
            }
            rows.put(e.getKey(), all.toArray(new IndexedRow[0]));
        }
        for (RuleDefinition r : rules) params.put(r.code(), Values.params(r.params()));
    }

    /** A firing: rule code, line id (null for ORDER/DIAGNOSIS scope) and message. */
    public record Hit(String ruleCode, String lineId, String message) {}

    public List<Hit> audit(AuditInput in, LocalDateTime now) {
        AuditContext ctx = new AuditContext(in, now, patterns);
        List<Hit> hits = new ArrayList<>();
        ClassLoader prev = MvelHardening.enter();
        try {
            for (RuleDefinition r : rules) {
                if (!applicable(r, in, ctx)) continue;
                try {
                    audit(r, ctx, hits);
                } catch (RuntimeException e) {
                    // a failing rule is left out, as the engine does
                }
            }
        } finally {
            MvelHardening.exit(prev);
        }
        return hits;
    }

    private void audit(RuleDefinition r, AuditContext ctx, List<Hit> hits) {
        String set = r.knowledgeSet();
        Scope scope = r.scope() != null ? r.scope() : set != null ? Scope.LINE : Scope.ORDER;
        ctx.bindRule(set == null ? null : indexes.get(set), params.get(r.code()));
        if (scope == Scope.ORDER) {
            ctx.bindLine(null, null);
            if (test(r, ctx)) hits.add(new Hit(r.code(), null, render(r, ctx)));
            return;
        }
        if (set != null && r.matchOn() == MatchOn.DIAGNOSIS) {
            for (DiagnosisView d : ctx.diagnoses()) {
                for (IndexedRow row : rows.get(set)) {
                    if (!row.matches(d.getCode())) continue;
                    ctx.bindDiagnosis(d, row);
                    if (test(r, ctx)) {
                        hits.add(new Hit(r.code(), null, render(r, ctx)));
                        break;
                    }
                }
            }
            return;
        }
        for (LineView l : ctx.requestLines()) {
            if (!typeOk(r, l)) continue;
            if (set == null) {
                ctx.bindLine(l, null);
                if (test(r, ctx)) hits.add(new Hit(r.code(), l.getId(), render(r, ctx)));
                continue;
            }
            for (IndexedRow row : rows.get(set)) {   // scan, no index
                if (!row.matches(l.getItemCode())) continue;
                ctx.bindLine(l, row);
                if (test(r, ctx)) {
                    hits.add(new Hit(r.code(), l.getId(), render(r, ctx)));
                    break;
                }
            }
        }
    }

    private static boolean test(RuleDefinition r, AuditContext ctx) {
        try {
            return Boolean.TRUE.equals(MVEL.eval(r.when(), ctx.scope()));
        } catch (RuntimeException e) {
            if (missingData(e)) return false;   // undecidable line
            throw e;
        }
    }

    private static String render(RuleDefinition r, AuditContext ctx) {
        try {
            Object o = TemplateRuntime.eval(r.message(), null, ctx.scope());
            return o == null ? "" : o.toString();
        } catch (RuntimeException e) {
            return r.name();
        }
    }

    private static boolean missingData(Throwable t) {
        for (int i = 0; t != null && i < 16; i++, t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("MissingDataException")) return true;
        }
        return false;
    }

    private static boolean typeOk(RuleDefinition r, LineView l) {
        if (r.itemTypes() == null || r.itemTypes().isEmpty()) return true;
        return l.itemTypeEffective() != null && r.itemTypes().contains(l.itemTypeEffective());
    }

    private static boolean applicable(RuleDefinition r, AuditInput in, AuditContext ctx) {
        if (Boolean.FALSE.equals(r.enabled())) return false;
        if (r.actions() == null || in.stage() == null || !r.actions().containsKey(in.stage())) return false;
        if (r.effectiveFrom() != null && ctx.auditDate().isBefore(r.effectiveFrom())) return false;
        if (r.effectiveTo() != null && ctx.auditDate().isAfter(r.effectiveTo())) return false;
        if (r.scenarios() != null && !r.scenarios().isEmpty() && !r.scenarios().contains(in.scenario())) return false;
        if (r.hospitalLevels() != null && !r.hospitalLevels().isEmpty()
            && (in.hospital() == null || !r.hospitalLevels().contains(in.hospital().level()))) {
            return false;
        }
        if (r.insuranceTypes() != null && !r.insuranceTypes().isEmpty()
            && (in.patient() == null || !r.insuranceTypes().contains(in.patient().insuranceType()))) {
            return false;
        }
        return true;
    }
}
