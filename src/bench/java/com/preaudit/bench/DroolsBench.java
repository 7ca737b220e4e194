package com.preaudit.bench;

import com.preaudit.bench.drools.DHit;
import com.preaudit.bench.drools.DroolsPeer;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Drools peer on the same orders and the same national rows, for the rule classes of
 * {@link BenchData#PEER_RULES}. Setup fails unless Drools and our engine (restricted to those rules) give the same
 * set of (rule, line) findings.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class DroolsBench {
    @Param({"1", "20", "100"})
    public int lines;

    private DroolsPeer peer;
    private AuditInput order;

    @Setup(Level.Trial)
    public void setup() {
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        order = BenchData.order(sets, lines);
        long t0 = System.nanoTime();
        peer = new DroolsPeer(sets);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        CatalogSnapshot snapshot = BenchData.snapshot(sets);
        AuditResult ours = snapshot.audit(order, new AuditOptions(BenchData.NOW, true, BenchData.PEER_RULES));
        Checks.requireClean(ours, "engine (peer rules)");
        Set<String> expected = Checks.pairs(ours, BenchData.PEER_RULES);
        for (int i = 0; i < 3; i++) {   // also after the session was reused
            Set<String> got = pairs(peer.audit(order));
            if (!got.equals(expected)) {
                throw new IllegalStateException("Drools and the engine disagree on the " + lines + "-line order:\n  drools "
                    + got + "\n  engine " + expected);
            }
        }
        Set<String> classes = new TreeSet<>();
        for (String p : expected) classes.add(p.substring(0, p.indexOf(' ')));
        System.out.printf("%n[setup] Drools: %d knowledge facts, built in %d ms; %d-line order: %d (rule, line) findings"
            + " identical to the engine's, rules %s%n", peer.knowledgeFacts(), ms, lines, expected.size(), classes);
    }

    static Set<String> pairs(List<DHit> hits) {
        Set<String> out = new TreeSet<>();
        for (DHit h : hits) out.add(h.ruleCode() + " " + h.lineId());
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.dispose();
    }

    @Benchmark
    public List<DHit> audit() {
        return peer.audit(order);
    }
}
