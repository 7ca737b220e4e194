package com.preaudit.bench;

import java.lang.management.ManagementFactory;
import java.util.function.LongUnaryOperator;

/**
 * One side of {@link SideBySide}: the benchmark's workload (EngineBench's data, {@code lines} lines, whole catalog)
 * built from one tree, run {@code n} times per call, answering the thread's CPU nanoseconds (or, for negative
 * {@code n}, the bytes it allocated running {@code -n} audits). Only JDK types cross the class-loader boundary.
 */
public final class EngineSide implements LongUnaryOperator {
    private static final com.sun.management.ThreadMXBean MX =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final EngineRun run;

    public EngineSide(Integer lines) {
        run = EngineRun.prepare(lines, null, "side " + lines + " lines");
    }

    @Override
    public long applyAsLong(long n) {
        if (n < 0) {
            long tid = Thread.currentThread().getId();
            long b0 = MX.getThreadAllocatedBytes(tid);
            for (long i = 0; i < -n; i++) run.audit();
            return MX.getThreadAllocatedBytes(tid) - b0;
        }
        long t0 = MX.getCurrentThreadCpuTime();
        for (long i = 0; i < n; i++) run.audit();
        return MX.getCurrentThreadCpuTime() - t0;
    }
}
