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
            String dir = setting("preaudit.data-dir", "PREAUDIT_DATA_DIR", "data");
            EmbeddedDatabase db = EmbeddedDatabase.startOnce(Path.of(dir, "pg"));
            db.datasourceProperties().forEach(System::setProperty);
        }
        Quarkus.run(args);
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
