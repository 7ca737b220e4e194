package com.preaudit.engine.sandbox;

import java.util.Set;

/**
 * What an accepted expression (or all expressions of a template) reads, gathered by the same scan that checked it:
 * root variables, {@code root.property} paths of the context objects, and {@code fn} functions.
 */
public record ExpressionInfo(Set<String> roots, Set<String> properties, Set<String> functions) {

    /** Whether the expression needs stored history (CONTRACT §5): reads {@code history} or a history function. */
    public boolean historyDependent() {
        if (roots.contains("history")) return true;
        for (String f : functions) if (Sandbox.HISTORY_FUNCTIONS.contains(f)) return true;
        return false;
    }

    /** Whether the expression computes an age (and so needs {@code patient.birthDate}). */
    public boolean needsBirthDate() {
        return properties.contains("patient.ageYears") || properties.contains("patient.ageDays")
            || functions.contains("ageYears") || functions.contains("ageDays");
    }
}
