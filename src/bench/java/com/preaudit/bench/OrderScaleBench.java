package com.preaudit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Scaling with the order: full catalog, 1 to 500 lines (history grows with the lines). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class OrderScaleBench extends EngineRunBench {
    @Param({"1", "5", "20", "100", "500"})
    public int lines;


    @Setup(Level.Trial)
    public void setup() {
        run = EngineRun.prepare(lines, null, "order scale " + lines);
        System.out.printf("%n[setup] %d-line order, %d history lines: %d findings%n", run.order().lines().size(),
            run.order().history().size(), run.first().findings().size());
    }
}
