package com.preaudit.engine.sandbox;

/** An expression or template refused by the {@link Sandbox}; {@link #position()} is a 0-based offset. */
public final class SandboxViolation extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;
    private final String reason;

    public SandboxViolation(String reason, int position) {
        super(reason + " (at position " + position + ")");
        this.reason = reason;
        this.position = position;
    }

    /** What was refused, without the position. */
    public String reason() {
        return reason;
    }

    public int position() {
        return position;
    }
}
