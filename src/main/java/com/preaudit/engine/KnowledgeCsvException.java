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
        StringBuilder sb = new StringBuilder().append(errors.size()).append(" error(s) in knowledge CSV");
        int n = Math.min(errors.size(), 5);
        for (int i = 0; i < n; i++) {
            CsvError e = errors.get(i);
            sb.append(i == 0 ? ": " : "; ").append("row ").append(e.row());
            if (e.column() != null) sb.append(" column ").append(e.column());
            sb.append(": ").append(e.message());
        }
        if (errors.size() > n) sb.append("; …");
        return sb.toString();
    }
}
