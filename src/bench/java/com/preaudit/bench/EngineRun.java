package com.preaudit.bench;

import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import java.util.Map;
import java.util.Set;

/**
 * One engine workload of the benchmarks: all national sets plus the default rules, one order of
 * {@code lines} lines, the options (all rules, or only {@code onlyRules}) and the first result, which
 * the run must still give at the end (MVEL's optimiser has switched to generated accessors by then).
 */
record EngineRun(CatalogSnapshot snapshot, AuditInput order, AuditOptions options, AuditResult first) {

    static EngineRun prepare(int lines, Set<String> onlyRules, String label) {
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        CatalogSnapshot snapshot = BenchData.snapshot(sets);
        AuditInput order = BenchData.order(sets, lines);
        AuditOptions options = new AuditOptions(BenchData.NOW, true, onlyRules);
        AuditResult first = snapshot.audit(order, options);
        Checks.requireClean(first, label);
        return new EngineRun(snapshot, order, options, first);
    }

    AuditResult audit() {
        return audit(order);
    }

    AuditResult audit(AuditInput input) {
        return snapshot.audit(input, options);
    }

    void requireUnchanged() {
        if (!audit().equals(first)) {
            throw new IllegalStateException("audit result changed during the run");
        }
    }
}
