package com.preaudit.platform;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the service's own background work (timers, writers' helpers, cache refreshes): named, so a thread dump
 * says whose they are, and daemons, so they never hold the JVM open after Quarkus has shut down.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory of daemon threads that all carry this name. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
