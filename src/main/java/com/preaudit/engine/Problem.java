package com.preaudit.engine;

/**
 * A validation problem of one rule. {@code field} is "when", "message", "knowledgeSet", "tests[0]", …;
 * {@code position} is the 0-based character offset inside that field, or null when not positional.
 */
public record Problem(String ruleCode, String field, String message, Integer position) {}
