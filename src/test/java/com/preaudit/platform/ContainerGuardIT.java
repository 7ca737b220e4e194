package com.preaudit.platform;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a container with no database configured the jar refuses to start an embedded PostgreSQL (its data would die with
 * the container) unless PREAUDIT_EMBEDDED_DB=true. The image sets PREAUDIT_CONTAINER=true, as this test does.
 */
class ContainerGuardIT {

    @Test
    void aContainerWithoutADatabaseRefusesTheEmbeddedOne() throws Exception {
        Path dir = Files.createTempDirectory("preaudit-container-it");
        Path jar = Path.of(System.getProperty("preaudit.runner", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true);
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().remove("PREAUDIT_EMBEDDED_DB");
        pb.environment().put("PREAUDIT_CONTAINER", "true");
        pb.environment().put("PREAUDIT_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the service did not stop by itself");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("PREAUDIT_EMBEDDED_DB=true"), out);
        assertFalse(Files.exists(dir.resolve("data").resolve("pg")), "an embedded database was started");
        Files.deleteIfExists(dir);
    }
}
