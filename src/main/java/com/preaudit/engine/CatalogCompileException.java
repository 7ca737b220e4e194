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
        return ErrorSummary.of(problems, " problem(s) in catalog", p -> p.ruleCode() + "." + p.field()
            + (p.position() != null ? "@" + p.position() : "") + ": " + p.message());
    }
}
