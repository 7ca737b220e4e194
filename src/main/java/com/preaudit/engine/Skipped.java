package com.preaudit.engine;

/** A rule that could not decide this request; {@code error} is true when it threw or returned a non-boolean. */
public record Skipped(String ruleCode, String reason, boolean error) {}
