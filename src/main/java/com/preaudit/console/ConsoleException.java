package com.preaudit.console;

/** A console request refused with a message for the user (rendered as a page, not problem+json). */
public class ConsoleException extends RuntimeException {

    private final int status;

    public ConsoleException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
