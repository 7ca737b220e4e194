package com.preaudit.support;

import com.preaudit.platform.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real PostgreSQL for the tests, started once per test JVM in a temporary directory. It is not
 * stopped between Quarkus restarts (test profiles), so restart tests find the data written before.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String external = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return Map.of(); // tests against a configured server
        }
        return EmbeddedDatabase.startOnceInTempDir().datasourceProperties();
    }

    @Override
    public void stop() {
        // kept for the whole JVM; a shutdown hook stops it
    }
}
