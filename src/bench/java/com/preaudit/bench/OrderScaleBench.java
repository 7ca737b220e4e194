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
import org.openjdk.jmh.annotations.TearDown;

/** Scaling with the order: full catalog, 1 to 500 lines (history grows with the lines). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class OrderScaleBench {
    @Param({"1", "5", "20", "100", "500"})
    public int lines;

    private CatalogSnapshot snapshot;
    private AuditInput order;
    private AuditOptions options;
    private AuditResult first;

    @Setup(Level.Trial)
    public void setup() {
        Map<String, KnowledgeSet> sets = BenchData.knowledge();
        snapshot = BenchData.snapshot(sets);
        order = BenchData.order(sets, lines);
        options = new AuditOptions(BenchData.NOW, true, null);
        AuditResult r = snapshot.audit(order, options);
        first = r;
        Checks.requireClean(r, "order scale " + lines);
        System.out.printf("%n[setup] %d-line order, %d history lines: %d findings%n", order.lines().size(),
            order.history().size(), r.findings().size());
    }

    /** After the run (MVEL's optimiser has switched to generated accessors by now) the result must be unchanged. */
    @TearDown(Level.Trial)
    public void sameResultAfterRun() {
        if (!snapshot.audit(order, options).equals(first)) {
            throw new IllegalStateException("audit result changed during the run");
        }
    }

    @Benchmark
    public AuditResult audit() {
        return snapshot.audit(order, options);
    }
}
