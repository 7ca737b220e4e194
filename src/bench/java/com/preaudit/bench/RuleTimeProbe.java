package com.preaudit.bench;

import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Time per audit of the benchmark's 20-line order (EngineBench's data) that each rule accounts for, two ways:
 * the rule alone above an audit with no rule, and the whole catalog minus the rule below the whole catalog (the
 * second counts shared lazy work, e.g. a history index, only for the rule without which nobody builds it). A
 * rough attribution, not a benchmark: medians of interleaved rounds, printed for rules above 150 ns. Finds where
 * the time of a slower catalog goes (issue 19's engine budget).
 *
 * <pre>mvn -B -q -Pbench test-compile exec:exec -Dexec.args="-cp %classpath com.preaudit.bench.RuleTimeProbe"</pre>
 */
public final class RuleTimeProbe {
    private RuleTimeProbe() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** CPU time of this thread per audit: less disturbed than wall time by other work on a shared machine. */
    static double nsPerAudit(CatalogSnapshot snap, AuditInput order, Set<String> only, int n) {
        AuditOptions o = new AuditOptions(BenchData.NOW, true, only);
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) snap.audit(order, o);
        return (MX.getCurrentThreadCpuTime() - t0) / (double) n;
    }

    private static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    public static void main(String[] args) {
        int rounds = Integer.getInteger("probe.rounds", 7);
        int n = Integer.getInteger("probe.audits", 3_000);
        boolean perRule = !"false".equals(System.getProperty("probe.perRule"));
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        CatalogSnapshot snap = BenchData.snapshot(sets);
        AuditInput order = BenchData.order(sets, 20);
        List<String> codes = new ArrayList<>();
        for (RuleDefinition r : snap.rules()) codes.add(r.code());
        Set<String> all = new HashSet<>(codes);
        // warm-up: every rule through MVEL's optimiser, then the whole catalog
        for (int i = 0; i < 20_000; i++) snap.audit(order, new AuditOptions(BenchData.NOW, true, null));
        for (String c : codes) nsPerAudit(snap, order, Set.of(c), 2_000);

        double[] full = new double[rounds], none = new double[rounds];
        double[][] alone = new double[codes.size()][rounds], without = new double[codes.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            full[r] = nsPerAudit(snap, order, all, n);
            none[r] = nsPerAudit(snap, order, Set.of(), n);
            for (int i = 0; i < codes.size() && perRule; i++) {
                alone[i][r] = nsPerAudit(snap, order, Set.of(codes.get(i)), n);
                Set<String> minus = new HashSet<>(all);
                minus.remove(codes.get(i));
                without[i][r] = nsPerAudit(snap, order, minus, n);
            }
        }
        double f = median(full), z = median(none);
        System.out.printf("%d rules: %.0f ns per audit; no rule: %.0f ns%n", codes.size(), f, z);
        String subset = System.getProperty("probe.rules");
        if (subset != null && !subset.isBlank()) {
            Set<String> only = new HashSet<>(Arrays.asList(subset.split(",")));
            only.retainAll(all);
            double[] sub = new double[rounds], whole = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                sub[r] = nsPerAudit(snap, order, only, n);
                whole[r] = nsPerAudit(snap, order, all, n);
            }
            System.out.printf("subset (%d rules): %.0f ns per audit; whole catalog in the same rounds: %.0f ns%n",
                only.size(), median(sub), median(whole));
        }
        if (!perRule) return;
        System.out.printf("%-22s %10s %10s%n", "rule", "alone-none", "full-minus");
        double sumAlone = 0;
        for (int i = 0; i < codes.size(); i++) {
            double a = median(alone[i]) - z, w = f - median(without[i]);
            sumAlone += a;
            if (a > 150 || w > 150) System.out.printf("%-22s %10.0f %10.0f%n", codes.get(i), a, w);
        }
        System.out.printf("sum of alone-none over all rules: %.0f ns%n", sumAlone);
    }
}
