package com.preaudit.simulation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code preaudit.simulation.*}: how much CPU and memory impact simulations may take beside the audits. */
@ConfigMapping(prefix = "preaudit.simulation")
public interface SimulationConfig {

    /**
     * Simulations replayed at once, one thread each; more wait in line. One by default: a replay is CPU-bound
     * (two catalog runs per stored audit), and the audits must keep their latency on a 2-core node.
     */
    @WithDefault("1")
    int workers();

    /**
     * The share of one core each worker may use, 0 < max-cpu ≤ 1: after every few stored audits the worker rests in
     * proportion to the CPU they took (0.5: as long as it worked). 1 = no rest. Lower it when audits share a small node with
     * simulations and their latency matters more than the simulation's duration.
     */
    @WithDefault("1.0")
    double maxCpu();

    /**
     * The share of one core each worker may use while this node is answering audits (one began within the last
     * 100 ms), 0 < busy-cpu ≤ 1. The audits come first: beside live traffic a replay slows to this share and its
     * allocations stay small, so the audits' p99 keeps its level; with no audits it runs at {@code max-cpu}.
     */
    @WithDefault("0.05")
    double busyCpu();

    /** Stored audits read and replayed per page (the memory a running simulation holds is about one page). */
    @WithDefault("500")
    int pageSize();

    /** Simulations waiting for a worker on this node; more are refused with 429. */
    @WithDefault("8")
    int maxQueued();

    /** Changed audits listed in {@code samples}. */
    @WithDefault("100")
    int samples();

    /** Rows kept in {@code byDepartment} and {@code byDoctor} (most changed first). */
    @WithDefault("1000")
    int maxRows();
}
