package com.preaudit.engine.model;

import java.util.List;

/** An expected finding of a rule test; a null field means "don't care". */
public record ExpectedFinding(List<String> lineIds, String ruleCode, Action action) {}
