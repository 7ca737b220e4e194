package com.preaudit.engine.model;

/**
 * What a finding asks of the user; ordinal order is severity. {@code SHADOW} (试运行) asks nothing: the rule is
 * evaluated and its findings recorded, never answered and never in the decision.
 */
public enum Action { SHADOW, INFO, WARN, BLOCK }
