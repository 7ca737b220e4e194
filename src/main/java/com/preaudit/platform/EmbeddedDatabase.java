package com.preaudit.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL server started from the zonky binaries, for a service with no datasource URL
 * configured (the jar's default) and for the tests. One instance per JVM: the jar keeps its data
 * under {@code ./data/pg}, the tests under a temporary directory that outlives Quarkus restarts
 * within the same test JVM (so a "restart" test really finds the old data).
 */
public final class EmbeddedDatabase {

    private static final String USER = "postgres";
    private static final String DB = "postgres";

    private static EmbeddedDatabase instance;
    // Quarkus and this class both stop from JVM shutdown hooks, which run concurrently; the server
    // must outlive the application so that its last flushes (audit records) reach the database.
    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> RUNNING_APP =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final Path dataDir;
    private EmbeddedPostgres postgres;
    private int port;

    private EmbeddedDatabase(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts (once per JVM) the embedded server on {@code dataDir}; later calls return the same one. */
    public static synchronized EmbeddedDatabase startOnce(Path dataDir) {
        if (instance == null) {
            EmbeddedDatabase db = new EmbeddedDatabase(dataDir.toAbsolutePath());
            db.start();
            Runtime.getRuntime().addShutdownHook(new Thread(db::stopQuietly, "embedded-postgres-stop"));
            instance = db;
        }
        return instance;
    }

    /** For tests: a fresh temporary data directory. */
    public static EmbeddedDatabase startOnceInTempDir() {
        try {
            return startOnce(Files.createTempDirectory("preaudit-pg-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized EmbeddedDatabase current() {
        return instance;
    }

    /** Starts the server again on the same data directory and port (after {@link #stop()}). */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false)
                    // zonky's own hook would stop the server as soon as the JVM is told to exit, racing
                    // the application's last flush; ours (startOnce) waits for the application first
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    // zonky's builder defaults to synchronous_commit=off: a COMMIT would return before its
                    // WAL reaches the disk, and a crash of the server or the machine could lose a charge,
                    // disposition or catalog change that the API had already acknowledged
                    .setServerConfig("synchronous_commit", "on");
            if (Boolean.getBoolean("preaudit.embedded-pg.stat-statements")) {
                // diagnostics for benchmarks: which statements cost what (SELECT * FROM pg_stat_statements)
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
            }
            if (port != 0) {
                builder.setPort(port);
            }
            removeStalePid(dataDir.toFile());
            postgres = builder.start();
            port = postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** Stops the server, keeping its data; used by the degraded-mode tests. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    public synchronized boolean running() {
        return postgres != null;
    }

    /** Called when the application has started: the server's shutdown hook will wait for it to stop. */
    public static void applicationStarted() {
        RUNNING_APP.set(new java.util.concurrent.CountDownLatch(1));
    }

    /** Called last on application shutdown. */
    public static void applicationStopped() {
        java.util.concurrent.CountDownLatch latch = RUNNING_APP.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    private void stopQuietly() {
        java.util.concurrent.CountDownLatch app = RUNNING_APP.get();
        try {
            if (app != null) {
                app.await(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stop();
        } catch (RuntimeException ignored) {
            // JVM is exiting; nothing useful to do with the failure
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DB;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Datasource properties for Quarkus. */
    public Map<String, String> datasourceProperties() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", "postgres");
    }

    /** A server killed without a clean stop leaves postmaster.pid behind; pg_ctl would refuse to start. */
    private static void removeStalePid(File dir) {
        File pid = new File(dir, "postmaster.pid");
        if (pid.exists()) {
            try {
                String first = Files.readAllLines(pid.toPath()).stream().findFirst().orElse("").trim();
                long p = Long.parseLong(first);
                if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
                    return; // a live server owns it; let pg_ctl report the conflict
                }
            } catch (IOException | NumberFormatException ignored) {
                // unreadable pid file: treat as stale
            }
            pid.delete();
        }
    }
}
