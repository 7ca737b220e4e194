package com.preaudit.platform;

/**
 * The database failed a store's statement (unreachable, timed out, refused). Stores throw only this,
 * never an HTTP answer: {@link ProblemMappers} turns it into 503 problem+json naming what could not
 * be reached, and keeps the driver's message (SQL text, host names) in the server log.
 */
public class StorageException extends RuntimeException {

    private final String store;

    /** @param store what the client is told is unavailable, e.g. "the charge store" */
    public StorageException(String store, Throwable cause) {
        super(store + " failed: " + cause.getMessage(), cause);
        this.store = store;
    }

    public String store() {
        return store;
    }
}
