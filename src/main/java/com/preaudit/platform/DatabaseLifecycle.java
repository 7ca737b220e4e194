package com.preaudit.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Orders the embedded server's stop after everything else the application does on shutdown. */
@ApplicationScoped
public class DatabaseLifecycle {

    void started(@Observes @Priority(1) StartupEvent event) {
        EmbeddedDatabase.applicationStarted();
    }

    // Highest number = notified last, after the writers have flushed.
    void stopped(@Observes @Priority(100_000) ShutdownEvent event) {
        EmbeddedDatabase.applicationStopped();
    }
}
