package com.preaudit.engine;

import com.preaudit.engine.model.Decision;
import java.util.List;

/**
 * The engine's answer to one audit. {@code shadowFindings}: the findings of rules whose action at the stage is
 * SHADOW, to be recorded but never answered; they are not in {@code findings} and not in the decision.
 */
public record AuditResult(Decision decision, List<Finding> findings, List<Skipped> skipped, List<Finding> shadowFindings) {

    public AuditResult(Decision decision, List<Finding> findings, List<Skipped> skipped) {
        this(decision, findings, skipped, List.of());
    }
}
