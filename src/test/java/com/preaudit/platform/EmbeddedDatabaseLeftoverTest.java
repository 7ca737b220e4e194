package com.preaudit.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PRODUCT.md §8: after kill -9 of the JVM, the embedded PostgreSQL it started is still running on the data directory
 * (pg_ctl detached it) and holds postmaster.pid; the next start must stop it and start on the same data, never
 * touching a server of another directory.
 */
class EmbeddedDatabaseLeftoverTest {

    private final List<Path> dirs = new ArrayList<>();
    private final List<EmbeddedPostgres> servers = new ArrayList<>();

    @Test
    void aServerLeftRunningOnTheDirectoryIsStoppedAndTheDirectoryStartsAgain() throws Exception {
        Path dir = dir();
        // another JVM starts the server, writes a row and is killed with SIGKILL, as the service would be
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LeftBehind.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(dir.resolve("written")) && jvm.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(dir.resolve("written")), "the other JVM did not start its server");
        jvm.destroyForcibly().waitFor();
        ProcessHandle server = ProcessHandle.of(pid(dir)).orElseThrow();
        assertTrue(server.isAlive(), "the server should outlive the killed JVM");
        assertTrue(EmbeddedDatabase.serverOf(server, dir));

        EmbeddedDatabase.clearLeftover(dir);

        assertFalse(server.isAlive(), "the server left on the directory is still running");
        assertFalse(Files.exists(dir.resolve("postmaster.pid")));
        EmbeddedPostgres again = start(dir);
        try (Connection c = again.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1), "the data written before the takeover");
        }
    }

    @Test
    void aServerOfAnotherDirectoryIsNeverTouchedAndItsPidIsAStaleLockHere() throws Exception {
        Path other = dir();
        start(other);
        long otherPid = pid(other);
        Path ours = dir();
        // a lock file of ours whose pid (after a reboot, say) now belongs to another directory's server
        Files.writeString(ours.resolve("postmaster.pid"), otherPid + "\n" + ours + "\n");

        EmbeddedDatabase.clearLeftover(ours);

        assertTrue(ProcessHandle.of(otherPid).map(ProcessHandle::isAlive).orElse(false), "another directory's server was stopped");
        assertFalse(Files.exists(ours.resolve("postmaster.pid")), "the stale lock is still there");
        assertTrue(Files.exists(other.resolve("postmaster.pid")), "the other directory's lock was touched");
    }

    @Test
    void aLockWhoseProcessIsGoneIsRemoved() throws Exception {
        Path dir = dir();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("postmaster.pid"), gone.pid() + "\n" + dir + "\n");

        EmbeddedDatabase.clearLeftover(dir);

        assertFalse(Files.exists(dir.resolve("postmaster.pid")));
    }

    /** The JVM killed in the first test: starts a server on the directory, writes a row, says so, waits. */
    public static final class LeftBehind {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false).start();
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("CREATE TABLE kept(v int); INSERT INTO kept VALUES (42)");
            }
            Files.createFile(dir.resolve("written"));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private Path dir() throws IOException {
        Path d = Files.createTempDirectory("preaudit-leftover-");
        dirs.add(d);
        return d;
    }

    private EmbeddedPostgres start(Path dir) throws IOException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
        servers.add(pg);
        return pg;
    }

    private static long pid(Path dir) throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (EmbeddedPostgres pg : servers) {
            try {
                pg.close();
            } catch (IOException | RuntimeException alreadyStopped) {
                // the takeover stopped it
            }
        }
        for (Path d : dirs) {
            com.preaudit.support.TempDirs.delete(d);
        }
    }
}
