package com.preaudit.simulation;

import com.preaudit.engine.AuditResult;
import com.preaudit.engine.Finding;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.Line;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Adds up, audit by audit, what the candidate catalog answers differently from the baseline. A finding is the
 * same in both when its rule and its lines are the same (its message, amount or action may differ: a changed
 * action shows as a decision change); a finding only the candidate makes is added, one only the baseline makes
 * is removed. A finding's department and doctor are its first line's, else the encounter's, as in the
 * statistics. Not thread-safe: one per running simulation.
 */
final class ImpactTally {

    private static final class Counts {
        final String name;
        long added;
        long removed;
        BigDecimal amountAdded = BigDecimal.ZERO;
        BigDecimal amountRemoved = BigDecimal.ZERO;

        Counts(String name) {
            this.name = name;
        }

        void add(Finding f, boolean added) {
            BigDecimal amount = f.amountAtRisk() == null ? BigDecimal.ZERO : f.amountAtRisk();
            if (added) {
                this.added++;
                amountAdded = amountAdded.add(amount);
            } else {
                removed++;
                amountRemoved = amountRemoved.add(amount);
            }
        }

        long changes() {
            return added + removed;
        }
    }

    private final int maxSamples;
    private final int maxRows;
    private long audits;
    private long changedAudits;
    private long unreadable;
    private final Map<String, Long> decisionChanges = new LinkedHashMap<>();
    private final Map<String, Counts> byRule = new HashMap<>();
    private final Map<String, Counts> byDepartment = new HashMap<>();
    private final Map<String, Counts> byDoctor = new HashMap<>();
    private final List<SimulationResult.Sample> samples = new ArrayList<>();

    ImpactTally(int maxSamples, int maxRows) {
        this.maxSamples = maxSamples;
        this.maxRows = maxRows;
    }

    /** A stored request that could not be read back or replayed (counted, not guessed at). */
    void unreadable() {
        audits++;
        unreadable++;
    }

    void add(String auditId, List<Line> lines, String encounterDepartment, String encounterDoctor,
             AuditResult candidate, AuditResult baseline) {
        audits++;
        Map<String, Finding> base = keyed(baseline.findings());
        Map<String, Finding> cand = keyed(candidate.findings());
        TreeSet<String> addedRules = null;
        TreeSet<String> removedRules = null;
        for (Map.Entry<String, Finding> e : cand.entrySet()) {
            if (!base.containsKey(e.getKey())) {
                count(e.getValue(), true, lines, encounterDepartment, encounterDoctor);
                (addedRules == null ? addedRules = new TreeSet<>() : addedRules).add(e.getValue().ruleCode());
            }
        }
        for (Map.Entry<String, Finding> e : base.entrySet()) {
            if (!cand.containsKey(e.getKey())) {
                count(e.getValue(), false, lines, encounterDepartment, encounterDoctor);
                (removedRules == null ? removedRules = new TreeSet<>() : removedRules).add(e.getValue().ruleCode());
            }
        }
        Decision from = baseline.decision();
        Decision to = candidate.decision();
        if (from != to) {
            decisionChanges.merge(from + ">" + to, 1L, Long::sum);
        }
        if (from != to || addedRules != null || removedRules != null) {
            changedAudits++;
            if (samples.size() < maxSamples) {
                samples.add(new SimulationResult.Sample(auditId, addedRules == null ? List.of() : List.copyOf(addedRules),
                        removedRules == null ? List.of() : List.copyOf(removedRules)));
            }
        }
    }

    private static Map<String, Finding> keyed(List<Finding> findings) {
        Map<String, Finding> out = new HashMap<>(findings.size() * 2);
        for (Finding f : findings) {
            out.put(f.ruleCode() + '\u0000' + String.join("\u0000", new TreeSet<>(f.lineIds())), f);
        }
        return out;
    }

    private void count(Finding f, boolean added, List<Line> lines, String encounterDepartment, String encounterDoctor) {
        byRule.computeIfAbsent(f.ruleCode(), c -> new Counts(f.ruleName())).add(f, added);
        Line first = firstLine(f, lines);
        String department = first != null && first.departmentCode() != null ? first.departmentCode() : encounterDepartment;
        String doctor = first != null && first.doctorId() != null ? first.doctorId() : encounterDoctor;
        byDepartment.computeIfAbsent(department, c -> new Counts(null)).add(f, added);
        byDoctor.computeIfAbsent(doctor, c -> new Counts(null)).add(f, added);
    }

    private static Line firstLine(Finding f, List<Line> lines) {
        if (f.lineIds() == null || f.lineIds().isEmpty()) {
            return null;
        }
        String id = f.lineIds().get(0);
        for (Line l : lines) {
            if (id.equals(l.id())) {
                return l;
            }
        }
        return null;
    }

    long audits() {
        return audits;
    }

    SimulationResult result(long replayMillis, long replayCpuMillis) {
        List<SimulationResult.DecisionChange> decisions = new ArrayList<>();
        decisionChanges.forEach((k, n) -> {
            int i = k.indexOf('>');
            decisions.add(new SimulationResult.DecisionChange(k.substring(0, i), k.substring(i + 1), n));
        });
        decisions.sort(Comparator.comparingLong(SimulationResult.DecisionChange::audits).reversed());
        List<SimulationResult.RuleRow> rules = sorted(byRule, Integer.MAX_VALUE).stream()
                .map(e -> new SimulationResult.RuleRow(e.getKey(), e.getValue().name, e.getValue().added, e.getValue().removed,
                        e.getValue().amountAdded, e.getValue().amountRemoved)).toList();
        List<SimulationResult.DepartmentRow> departments = sorted(byDepartment, maxRows).stream()
                .map(e -> new SimulationResult.DepartmentRow(e.getKey(), e.getValue().added, e.getValue().removed,
                        e.getValue().amountAdded, e.getValue().amountRemoved)).toList();
        List<SimulationResult.DoctorRow> doctors = sorted(byDoctor, maxRows).stream()
                .map(e -> new SimulationResult.DoctorRow(e.getKey(), e.getValue().added, e.getValue().removed,
                        e.getValue().amountAdded, e.getValue().amountRemoved)).toList();
        return new SimulationResult(audits, changedAudits, unreadable, replayMillis, replayCpuMillis, decisions, rules, departments, doctors,
                List.copyOf(samples));
    }

    /** Most changes first, then by key; at most {@code limit}. */
    private static List<Map.Entry<String, Counts>> sorted(Map<String, Counts> rows, int limit) {
        return rows.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Counts> e) -> e.getValue().changes()).reversed()
                        .thenComparing(Map.Entry::getKey, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(limit).toList();
    }
}
