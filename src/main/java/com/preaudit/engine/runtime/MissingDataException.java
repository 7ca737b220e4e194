package com.preaudit.engine.runtime;

/**
 * Thrown by a context object or an {@code fn} function when the request lacks data the rule needs (e.g. an age
 * without a birth date). The engine turns it into a non-error skip, never a finding. No stack trace: it is an
 * expected outcome, not a bug.
 */
public final class MissingDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingDataException(String reason) {
        super(reason, null, false, false);
    }

    /** Short English sentence, e.g. "patient.birthDate missing". */
    public String reason() {
        return getMessage();
    }
}
