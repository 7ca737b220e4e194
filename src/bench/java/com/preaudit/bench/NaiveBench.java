package com.preaudit.bench;

import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.Finding;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.RuleDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The naive peer ({@link NaivePeer}: interpreted MVEL, every rule against every line, row scan) on the full default
 * catalog and every national set. Setup fails unless it finds the same (rule, line) pairs as the engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class NaiveBench {
    @Param({"1", "20", "100"})
    public int lines;

    private NaivePeer peer;
    private AuditInput order;

    @Setup(Level.Trial)
    public void setup() {
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        order = BenchData.order(sets, lines);
        peer = new NaivePeer(BenchData.rules(), sets);
        AuditResult ours = BenchData.snapshot(sets).audit(order, new AuditOptions(BenchData.NOW, true, null));
        Set<String> lineScoped = new TreeSet<>();   // rules whose findings name the line they were evaluated for
        for (RuleDefinition r : BenchData.rules()) {
            com.preaudit.engine.model.Scope scope = r.scope() != null ? r.scope()
                : r.knowledgeSet() != null ? com.preaudit.engine.model.Scope.LINE : com.preaudit.engine.model.Scope.ORDER;
            if (scope == com.preaudit.engine.model.Scope.LINE && r.matchOn() != MatchOn.DIAGNOSIS) lineScoped.add(r.code());
        }
        Set<String> expected = new TreeSet<>();
        for (Finding f : ours.findings()) {
            if (lineScoped.contains(f.ruleCode())) f.lineIds().forEach(id -> expected.add(f.ruleCode() + " " + id));
            else expected.add(f.ruleCode() + " -");
        }
        Set<String> got = pairs(peer.audit(order, BenchData.NOW));
        if (!got.equals(expected)) {
            throw new IllegalStateException("naive peer and engine disagree on the " + lines + "-line order:\n  naive  "
                + got + "\n  engine " + expected);
        }
        System.out.printf("%n[setup] naive peer: %d-line order, %d (rule, line) findings identical to the engine's%n",
            lines, got.size());
    }

    static Set<String> pairs(List<NaivePeer.Hit> hits) {
        Set<String> out = new TreeSet<>();
        for (NaivePeer.Hit h : hits) out.add(h.ruleCode() + " " + (h.lineId() == null ? "-" : h.lineId()));
        return out;
    }

    @Benchmark
    public List<NaivePeer.Hit> audit() {
        return peer.audit(order, BenchData.NOW);
    }
}
