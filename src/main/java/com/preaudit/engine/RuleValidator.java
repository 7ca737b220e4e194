package com.preaudit.engine;

import com.preaudit.engine.model.RuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The single validation entry point (save, validate, publish, import): required fields, the sandbox on
 * {@code when} and on every {@code @{…}} of {@code message}, MVEL compilation of both, and, when
 * {@code knownKnowledgeSets} is given, that the knowledge set exists. Never throws for a bad rule.
 */
public final class RuleValidator {
    private RuleValidator() {}

    /** @return the problems found; empty when the rule is valid */
    public static List<Problem> validate(RuleDefinition rule, Set<String> knownKnowledgeSets) {
        List<Problem> problems = new ArrayList<>();
        if (rule == null) {
            problems.add(new Problem(null, "rule", "rule is required", null));
            return problems;
        }
        RuleCompiler.compile(rule, null, knownKnowledgeSets, problems);
        return problems;
    }
}
