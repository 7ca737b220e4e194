package com.preaudit.bench;

import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Bytes allocated per audit of the benchmark's 20-line order (EngineBench's data), counted by the thread's allocation
 * counter rather than timed, so it is steady on a busy machine: the whole catalog, each rule alone above the cost of
 * an audit with no rule, and, with {@code -Dprobe.rules=CODE,CODE,...}, that subset. Finds the rule behind a B/op
 * regression (issue 19: a rule whose MissingDataException went through MVEL cost 15 KB per audit).
 *
 * <pre>mvn -B -q -Pbench test-compile exec:exec -Dexec.args="-cp %classpath com.preaudit.bench.RuleAllocProbe"</pre>
 */
public final class RuleAllocProbe {
    private static final com.sun.management.ThreadMXBean MX =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private RuleAllocProbe() {}

    static long bytesPerAudit(CatalogSnapshot snap, AuditInput order, Set<String> only, int n) {
        AuditOptions o = new AuditOptions(BenchData.NOW, true, only);
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < n; i++) snap.audit(order, o);   // warm-up: MVEL's optimiser settles first
        long t0 = MX.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) snap.audit(order, o);
        return (MX.getThreadAllocatedBytes(tid) - t0) / n;
    }

    public static void main(String[] args) {
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        CatalogSnapshot snap = BenchData.snapshot(sets);
        AuditInput order = BenchData.order(sets, 20);
        System.out.printf("catalog (%d rules): %d B/audit%n", snap.ruleCount(), bytesPerAudit(snap, order, null, 10_000));
        String subset = System.getProperty("probe.rules");
        if (subset != null && !subset.isBlank()) {
            Set<String> only = new LinkedHashSet<>(Set.of(subset.split(",")));
            System.out.printf("subset (%d rules): %d B/audit%n", only.size(), bytesPerAudit(snap, order, only, 10_000));
        }
        long base = bytesPerAudit(snap, order, Set.of(), 10_000);
        System.out.printf("no rule: %d B/audit; rules alone above that (> 200 B):%n", base);
        for (RuleDefinition r : snap.rules()) {
            long b = bytesPerAudit(snap, order, Set.of(r.code()), 2_000) - base;
            if (b > 200) System.out.printf("  %-22s %6d%n", r.code(), b);
        }
    }
}
