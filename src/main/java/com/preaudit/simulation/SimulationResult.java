package com.preaudit.simulation;

import java.math.BigDecimal;
import java.util.List;

/**
 * The result shape of PRODUCT.md §11: what the candidate catalog adds and removes against the baseline. Besides it:
 * {@code unreadable} stored requests that could not be replayed, and the replay's wall-clock and worker-CPU time
 * (what an operator sizes {@code preaudit.simulation.workers} by).
 */
public record SimulationResult(long audits, long changedAudits, long unreadable, long replayMillis, long replayCpuMillis,
                               List<DecisionChange> decisionChanges, List<RuleRow> byRule, List<DepartmentRow> byDepartment,
                               List<DoctorRow> byDoctor, List<Sample> samples) {

    public record DecisionChange(String from, String to, long audits) { }

    public record RuleRow(String ruleCode, String ruleName, long added, long removed, BigDecimal amountAdded, BigDecimal amountRemoved) { }

    public record DepartmentRow(String departmentCode, long added, long removed, BigDecimal amountAdded, BigDecimal amountRemoved) { }

    public record DoctorRow(String doctorId, long added, long removed, BigDecimal amountAdded, BigDecimal amountRemoved) { }

    public record Sample(String auditId, List<String> added, List<String> removed) { }
}
