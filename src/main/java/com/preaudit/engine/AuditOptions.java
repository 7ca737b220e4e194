package com.preaudit.engine;

import java.time.LocalDateTime;
import java.util.Set;

/**
 * Per-audit options. {@code now} is the audit time (its date selects effective rules; null = the system clock);
 * {@code historyAvailable == false} skips history-dependent rules (degraded mode); {@code onlyRules} restricts
 * the audit to those rule codes (null = all).
 */
public record AuditOptions(LocalDateTime now, boolean historyAvailable, Set<String> onlyRules) {}
