package com.preaudit.engine;

import java.util.List;

/** A catalog that cannot be compiled; carries every problem found across all rules. */
public final class CatalogCompileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public CatalogCompileException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder sb = new StringBuilder().append(problems.size()).append(" problem(s) in catalog");
        int n = Math.min(problems.size(), 5);
        for (int i = 0; i < n; i++) {
            Problem p = problems.get(i);
            sb.append(i == 0 ? ": " : "; ").append(p.ruleCode()).append('.').append(p.field());
            if (p.position() != null) sb.append('@').append(p.position());
            sb.append(": ").append(p.message());
        }
        if (problems.size() > n) sb.append("; …");
        return sb.toString();
    }
}
