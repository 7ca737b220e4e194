package com.preaudit.engine;

import java.util.List;

/** Thrown by {@link KnowledgeCsv#parse} with every error found in the file, not just the first. */
public final class KnowledgeCsvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<CsvError> errors;

    public KnowledgeCsvException(List<CsvError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<CsvError> errors() {
        return errors;
    }

    private static String summary(List<CsvError> errors) {
        return ErrorSummary.of(errors, " error(s) in knowledge CSV", e -> "row " + e.row()
            + (e.column() != null ? " column " + e.column() : "") + ": " + e.message());
    }
}
