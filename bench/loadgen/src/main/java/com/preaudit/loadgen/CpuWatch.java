package com.preaudit.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of groups of processes from /proc (Linux): a process, or a process and its children
 * (PostgreSQL: the postmaster and its backends), plus this generator and the whole machine. Deltas
 * between two samples give each group's share of the machine during a step.
 */
final class CpuWatch {

    private final Map<String, long[]> groups = new LinkedHashMap<>(); // name -> {pid, withChildren}
    private final long ticksPerSecond = 100; // USER_HZ on Linux

    void watch(String name, long pid, boolean withChildren) {
        groups.put(name, new long[]{pid, withChildren ? 1 : 0});
    }

    /** Cumulative CPU ticks per group, plus "loadgen" and "machine" (busy ticks of all CPUs) and "machineTotal". */
    Map<String, Long> sample() {
        Map<String, Long> s = new LinkedHashMap<>();
        List<long[]> all = processes();
        for (var g : groups.entrySet()) {
            long pid = g.getValue()[0];
            long ticks = 0;
            for (long[] p : all) {
                if (p[0] == pid || (g.getValue()[1] == 1 && p[1] == pid)) {
                    ticks += p[2];
                }
            }
            s.put(g.getKey(), ticks);
        }
        long self = ProcessHandle.current().pid();
        s.put("loadgen", all.stream().filter(p -> p[0] == self).mapToLong(p -> p[2]).sum());
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            s.put("machine", total - idle);
            s.put("machineTotal", total);
        } catch (IOException | RuntimeException e) {
            s.put("machine", 0L);
            s.put("machineTotal", 0L);
        }
        return s;
    }

    /** CPU use between two samples, in cores (1.0 = one core busy). */
    Map<String, Double> cores(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : after.keySet()) {
            if (k.equals("machineTotal")) {
                continue;
            }
            m.put(k, (after.get(k) - before.getOrDefault(k, 0L)) / (double) ticksPerSecond / seconds);
        }
        double known = 0;
        for (var e : m.entrySet()) {
            if (!e.getKey().equals("machine")) {
                known += e.getValue();
            }
        }
        m.put("other", Math.max(0, m.getOrDefault("machine", 0.0) - known)); // processes outside this benchmark
        return m;
    }

    /** {pid, ppid, utime+stime} of every process. */
    private static List<long[]> processes() {
        List<long[]> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String n = d.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    // after "pid (comm) ": state ppid ... utime is field 14, stime 15 (1-based) → index 11, 12 here
                    out.add(new long[]{Long.parseLong(n), Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])});
                } catch (IOException | RuntimeException ignored) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException ignored) {
            // no /proc
        }
        return out;
    }
}
