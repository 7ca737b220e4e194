package com.preaudit.engine.model;

import java.time.LocalDateTime;
import java.util.List;

/** A rule's own example: auditing {@code request} with only this rule must yield exactly {@code expect}. */
public record RuleTest(String name, AuditInput request, List<ExpectedFinding> expect, LocalDateTime now) {}
