package com.preaudit.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    private static final String DB = "postgres";

    private static EmbeddedDatabase instance;
    // Quarkus and this class both stop from JVM shutdown hooks, which run concurrently; the server
    // must outlive the application so that its last flushes (audit records) reach the database.
    private static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> RUNNING_APP =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final Path dataDir;
    /** A temporary server (tests): its data directory is deleted when the JVM stops it. */
    private boolean temporary;
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

    /** For tests: a fresh temporary data directory, deleted again when the JVM stops the server. */
    public static synchronized EmbeddedDatabase startOnceInTempDir() {
        try {
            EmbeddedDatabase db = startOnce(Files.createTempDirectory("preaudit-pg-"));
            db.temporary = true;
            return db;
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
            requireMajorVersion(dataDir);
            clearLeftover(dataDir);
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
            if (temporary) {
                deleteTree(dataDir);
            }
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

    /** The PostgreSQL major version of the embedded binaries (io.zonky.test.postgres binaries, see pom.xml). */
    static final String MAJOR = "17";

    /**
     * A data directory made by another major version (an earlier build embedded PostgreSQL 14) cannot be opened by this
     * server; say so plainly instead of pg_ctl's start-up failure.
     */
    private static void requireMajorVersion(Path dir) throws IOException {
        Path version = dir.resolve("PG_VERSION");
        if (Files.exists(version)) {
            String made = Files.readString(version).trim();
            if (!made.equals(MAJOR)) {
                throw new IllegalStateException("the data directory " + dir + " was made by PostgreSQL " + made
                        + "; this build embeds PostgreSQL " + MAJOR + ". Move it aside (or pg_dump it with the old build "
                        + "and restore it into the new one) and start again.");
            }
        }
    }

    /**
     * What a JVM killed with {@code kill -9} leaves in the data directory: the server it started keeps running (pg_ctl
     * detached it), holding {@code postmaster.pid}, and a start would fail with "lock file postmaster.pid already
     * exists". That server is stopped cleanly (SIGTERM, a smart shutdown: the dead JVM's connections are gone; then
     * SIGINT, a fast one), and only if it is a PostgreSQL server of THIS directory (its executable is postgres and its
     * working directory, where the postmaster lives, is this directory). A pid file whose process is gone, or whose
     * pid now belongs to another process, is a stale lock and is removed; a server of another directory is never
     * touched.
     */
    static void clearLeftover(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).stream().findFirst().orElse("").trim());
        } catch (IOException | NumberFormatException unreadable) {
            LOG.warnf("removing an unreadable PostgreSQL lock file %s", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isPresent() && serverOf(process.get(), dir)) {
            ProcessHandle server = process.get();
            LOG.warnf("the embedded PostgreSQL (pid %d) of a previous run is still running on %s; stopping it", pid, dir);
            server.destroy(); // SIGTERM: smart shutdown
            if (!exited(server, Duration.ofSeconds(30))) {
                signal("INT", pid); // fast shutdown: ends the sessions still open, still a clean stop
                if (!exited(server, Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the PostgreSQL server (pid " + pid + ") left running on " + dir
                            + " did not stop; stop it and start again");
                }
            }
            LOG.infof("the previous run's PostgreSQL on %s has stopped", dir);
            Files.deleteIfExists(pidFile); // a clean stop removes it; a server that crashed on the way may not
            return;
        }
        LOG.warnf("removing the stale PostgreSQL lock file %s (process %d is %s)", pidFile, pid,
                process.isPresent() ? "not a PostgreSQL server of this directory" : "gone");
        Files.deleteIfExists(pidFile);
    }

    /** True when {@code process} is a postgres server whose working directory (the postmaster's data directory) is {@code dir}. */
    static boolean serverOf(ProcessHandle process, Path dir) {
        String command = process.info().command().orElse("");
        if (!Path.of(command.isEmpty() ? "?" : command).getFileName().toString().startsWith("postgres")) {
            return false;
        }
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            return cwd.toRealPath().equals(dir.toRealPath());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // cannot tell whose it is: never stop it (pg_ctl will then report the lock)
        }
    }

    private static boolean exited(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        }
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            LOG.warnf("could not send SIG%s to %d: %s", name, pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
