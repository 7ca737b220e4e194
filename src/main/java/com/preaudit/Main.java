package com.preaudit;

import com.preaudit.platform.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;

/**
 * Entry point of the jar. With no datasource URL configured (environment or system property),
 * starts the embedded PostgreSQL under {@code ./data/pg} before Quarkus reads its configuration.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (!datasourceConfigured()) {
            if (inContainer() && !"true".equalsIgnoreCase(setting("preaudit.embedded-db", "PREAUDIT_EMBEDDED_DB", "false"))) {
                // A container's file system usually dies with it: an embedded database there would lose every
                // acknowledged audit, charge and catalog change on the next deployment. Asked for explicitly, it runs.
                System.err.println("PreAudit: no database configured (QUARKUS_DATASOURCE_JDBC_URL) and this is a container; "
                        + "refusing to start an embedded PostgreSQL whose data would live in the container. Set "
                        + "QUARKUS_DATASOURCE_JDBC_URL, or PREAUDIT_EMBEDDED_DB=true with a volume for PREAUDIT_DATA_DIR.");
                System.exit(2);
            }
            String dir = setting("preaudit.data-dir", "PREAUDIT_DATA_DIR", "data");
            EmbeddedDatabase db = EmbeddedDatabase.startOnce(Path.of(dir, "pg"));
            db.datasourceProperties().forEach(System::setProperty);
        }
        Quarkus.run(args);
    }

    /**
     * Inside a container: our image says so (PREAUDIT_CONTAINER=true), Docker leaves /.dockerenv, Podman and systemd-nspawn
     * set {@code container}.
     */
    static boolean inContainer() {
        return "true".equalsIgnoreCase(System.getenv("PREAUDIT_CONTAINER")) || System.getenv("container") != null
                || java.nio.file.Files.exists(Path.of("/.dockerenv"));
    }

        static boolean datasourceConfigured() {
        return setting("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL", null) != null;
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
