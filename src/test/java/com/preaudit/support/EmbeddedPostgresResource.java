package com.preaudit.support;

import com.preaudit.platform.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real PostgreSQL for the tests, started once per test JVM in a temporary directory. It is not
 * stopped between Quarkus restarts (test profiles), so restart tests find the data written before.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String URL = "preaudit.test.db.url";
    private static final String USER = "preaudit.test.db.user";
    private static final String PASSWORD = "preaudit.test.db.password";

    @Override
    public Map<String, String> start() {
        // every test profile (not only %test) starts with the admin token the tests send (TestCredentials),
        // so no profile writes an admin.token file into the working directory
        Map<String, String> props = new java.util.HashMap<>(database());
        props.put("preaudit.admin-token", TestCredentials.ADMIN_TOKEN);
        return props;
    }

    private Map<String, String> database() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of(); // tests against a configured server
        }
        // Quarkus restarts (a new test profile) load this class again in a fresh class loader, so the
        // static singleton of EmbeddedDatabase would start a second, empty server; the system
        // properties survive and point the restarted application at the first one.
        String url = System.getProperty(URL);
        if (url != null) {
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", System.getProperty(USER),
                    "quarkus.datasource.password", System.getProperty(PASSWORD));
        }
        Map<String, String> props = EmbeddedDatabase.startOnceInTempDir().datasourceProperties();
        System.setProperty(URL, props.get("quarkus.datasource.jdbc.url"));
        System.setProperty(USER, props.get("quarkus.datasource.username"));
        System.setProperty(PASSWORD, props.get("quarkus.datasource.password"));
        return props;
    }

    @Override
    public void stop() {
        // kept for the whole JVM; a shutdown hook stops it
    }
}
