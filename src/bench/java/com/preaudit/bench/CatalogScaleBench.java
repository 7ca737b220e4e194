package com.preaudit.bench;

import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import java.util.Map;
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
 * Scaling with the catalog: the national sets at 1×, 10× and 100× their rows (extra rows carry synthetic codes the
 * order does not use), same 20-line order. The findings must be identical at every size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class CatalogScaleBench {
    @Param({"1", "10", "100"})
    public int scale;

    private CatalogSnapshot snapshot;
    private AuditInput order;
    private AuditOptions options;

    @Setup(Level.Trial)
    public void setup() {
        Map<String, KnowledgeSet> base = BenchData.knowledge();
        order = BenchData.order(base, 20);
        options = new AuditOptions(BenchData.NOW, true, null);
        AuditResult expected = BenchData.snapshot(base).audit(order, options);
        long t0 = System.nanoTime();
        snapshot = BenchData.snapshot(BenchData.scaled(base, BenchData.nationalNames(), scale));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        AuditResult r = snapshot.audit(order, options);
        Checks.requireClean(r, "catalog scale " + scale);
        if (!r.equals(expected)) throw new IllegalStateException("findings differ at catalog scale " + scale);
        System.out.printf("%n[setup] catalog x%d: %d knowledge rows, compiled in %d ms; %d findings%n", scale,
            snapshot.knowledgeRowCount(), ms, r.findings().size());
    }

    @Benchmark
    public AuditResult audit() {
        return snapshot.audit(order, options);
    }
}
