package com.preaudit.engine;

/** A rule's own test whose findings differ from its expectation. */
public record TestFailure(String ruleCode, String testName, String message) {}
