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

/**
 * Our engine, one thread: every national knowledge set plus the default rules; orders of 1, 20 and 100 lines.
 * {@code rules=FULL} runs the whole catalog, {@code rules=PEER} only the rule classes the Drools peer implements
 * (same work as {@link DroolsBench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class EngineBench extends EngineRunBench {
    @Param({"1", "20", "100"})
    public int lines;

    @Param({"FULL", "PEER"})
    public String rules;

    @Setup(Level.Trial)
    public void setup() {
        run = EngineRun.prepare(lines, "PEER".equals(rules) ? BenchData.PEER_RULES : null, "engine " + rules + " " + lines + " lines");
        System.out.printf("%n[setup] %d rules, %d knowledge rows; %d-line order with %d history lines: %s, %d findings%n",
            run.snapshot().ruleCount(), run.snapshot().knowledgeRowCount(), run.order().lines().size(), run.order().history().size(),
            run.first().decision(), run.first().findings().size());
    }
}
