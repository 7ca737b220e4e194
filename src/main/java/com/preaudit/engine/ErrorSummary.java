package com.preaudit.engine;

import java.util.List;
import java.util.function.Function;

/** The message of an exception that carries every error it found: how many, and the first five of them. */
final class ErrorSummary {
    private static final int SHOWN = 5;

    private ErrorSummary() {}

    /** E.g. "7 problem(s) in catalog: R1.when@3: …; R2.message: …; …". */
    static <T> String of(List<T> errors, String what, Function<T, String> describe) {
        StringBuilder sb = new StringBuilder().append(errors.size()).append(what);
        int n = Math.min(errors.size(), SHOWN);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? ": " : "; ").append(describe.apply(errors.get(i)));
        if (errors.size() > n) sb.append("; …");
        return sb.toString();
    }
}
