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
 * The headline audit (full catalog, 20 lines unless {@code lines} says otherwise) with the CPU caches emptied before each one, as they are in the
 * service: between two audits a worker thread parses JSON, Netty moves bytes, PostgreSQL runs the history check and
 * the record COPY on the same two cores. {@link EngineBench} runs audits back to back, so the catalog's maps, the
 * MVEL trees and the engine's code stay cached and each audit costs what a hot loop costs.
 *
 * <p>{@code sweepKib} is the memory read and written between two audits (outside the timed region): 0 is the hot
 * loop; 49,152 is more than the shared L3 of this machine (32 MiB), so the audit starts from memory. (2,048, more than
 * the per-core L2 of 1 MiB, costs almost nothing: the audit's data then comes from L3.) The setup runs per invocation,
 * which JMH warns about for very short operations; the audits measured here take 4–550 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ColdCacheBench extends EngineRunBench {
    @Param({"0", "49152"})
    public int sweepKib;

    @Param({"1", "20", "100"})
    public int lines;

    private long[] sweep;
    private long sink;

    @Setup(Level.Trial)
    public void setup() {
        run = EngineRun.prepare(lines, null, "cold cache, " + lines + " lines, sweep " + sweepKib + " KiB");
        sweep = new long[sweepKib * 1024 / Long.BYTES];
    }

    /** Reads and writes one word per 64-byte line, so every line of the buffer is brought in and left dirty. */
    @Setup(Level.Invocation)
    public void evict() {
        long[] s = sweep;
        long acc = sink;
        for (int i = 0; i < s.length; i += 8) {
            acc += s[i];
            s[i] = acc;
        }
        sink = acc;
    }
}
