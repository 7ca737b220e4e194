package com.preaudit.bench;

import com.preaudit.engine.AuditResult;
import com.preaudit.engine.model.AuditInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the benchmarks that time one prepared {@link EngineRun} share: the timed audit, and the check after the run
 * that it still gives the first result. Each subclass declares its state, modes and parameters and prepares
 * {@link #run} in its own trial setup; JMH generates the benchmark under the subclass's name.
 */
public abstract class EngineRunBench {
    protected EngineRun run;

    /** After the run (MVEL's optimiser has switched to generated accessors by now) the result must be unchanged. */
    @TearDown(Level.Trial)
    public void sameResultAfterRun() {
        run.requireUnchanged();
    }

    @Benchmark
    public AuditResult audit() {
        return run.audit(input());
    }

    /** The order the timed audit reads: the prepared one, unless a subclass stands a fresh copy in for it. */
    protected AuditInput input() {
        return run.order();
    }
}
