package com.preaudit.engine;

import com.preaudit.engine.model.Decision;
import java.util.List;

/** The engine's answer to one audit. */
public record AuditResult(Decision decision, List<Finding> findings, List<Skipped> skipped) {}
