package com.preaudit.bench;

import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import java.util.List;
import java.util.Map;
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

    /**
     * What is brought back into the caches after the sweep, to tell which part of the cold cost is which:
     * {@code none}; {@code other}, an audit of another order of the same shape (same rules, same code paths, other
     * index entries and rows), which warms the engine's code and the rules' shared structures but not this order's
     * rows; {@code input}, a fresh copy of the order's lines and history lines, as Jackson hands them to the engine
     * in the service; {@code request}, a fresh copy of the request lines only (the history lines stay cold, as the
     * service's stored history is); {@code othersnap}, the other order audited on a second snapshot compiled from
     * the same catalog (the engine's and MVEL's code, but none of this snapshot's rule trees, generated accessors or
     * index tables); parts joined by {@code +} combine.
     */
    @Param({"none"})
    public String warm;

    private long[] sweep;
    private long sink;
    private AuditInput other;
    private CatalogSnapshot otherSnapshot;
    private boolean copyRequest, copyHistory;
    private AuditInput current;

    @Setup(Level.Trial)
    public void setup() {
        run = EngineRun.prepare(lines, null, "cold cache, " + lines + " lines, sweep " + sweepKib + " KiB");
        sweep = new long[sweepKib * 1024 / Long.BYTES];
        for (String part : warm.split("\\+")) {
            switch (part) {
                case "none" -> { }
                case "other" -> other = BenchData.order(BenchData.knowledge(), lines, 1);
                case "othersnap" -> {
                    Map<String, KnowledgeSet> sets = BenchData.knowledge();
                    other = BenchData.order(sets, lines, 1);
                    otherSnapshot = BenchData.snapshot(sets);
                }
                case "input" -> copyRequest = copyHistory = true;
                case "request" -> copyRequest = true;
                default -> throw new IllegalArgumentException("warm: " + warm);
            }
        }
        current = run.order();
    }

    @Override
    protected AuditInput input() {
        return current;
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
        if (other != null) {
            sink += (otherSnapshot == null ? run.audit(other) : otherSnapshot.audit(other, run.options()))
                .findings().size();
        }
        if (copyRequest) {
            current = freshCopy(run.order(), copyHistory);
        }
    }

    /** New line objects and strings with the same values, as a request parse would allocate them. */
    private static AuditInput freshCopy(AuditInput in, boolean history) {
        List<Line> lines = in.lines().stream().map(ColdCacheBench::freshCopy).toList();
        List<Line> hist = history ? in.history().stream().map(ColdCacheBench::freshCopy).toList() : in.history();
        return new AuditInput(in.requestId(), in.stage(), in.scenario(), in.hospital(), in.patient(), in.encounter(),
            lines, hist);
    }

    private static Line freshCopy(Line l) {
        return new Line(str(l.id()), str(l.itemCode()), str(l.itemName()), str(l.itemType()), l.quantity(),
            l.unitPrice(), l.listPrice(), l.amount(), l.orderedAt(), l.days(), str(l.departmentCode()),
            str(l.doctorId()), str(l.prescriptionNo()), str(l.groupNo()), l.dischargeMedication(), l.selfPay(),
            str(l.encounterId()));
    }

    private static String str(String s) {
        return s == null ? null : new String(s.toCharArray());
    }
}
