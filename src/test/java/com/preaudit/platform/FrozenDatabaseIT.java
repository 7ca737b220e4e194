package com.preaudit.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.support.Node;
import com.preaudit.support.StoredAudits;
import com.preaudit.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PRODUCT.md §8 with a database that is neither down nor answering: the packaged service's PostgreSQL is frozen
 * (SIGSTOP: connections stay open and nothing comes back, as behind a network that drops packets). Audits must still
 * answer, {@code degraded: true, recorded: false}, within seconds, not wait for ever in the history lookup or for the
 * commit; once the server runs again (SIGCONT) every one of their records is written.
 */
class FrozenDatabaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIT = """
            {"stage": "PRE_ORDER", "patient": {"id": "P-FROZEN-%d", "gender": "M", "birthDate": "1951-08-27"},
             "lines": [{"id": "L1", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                        "itemType": "DRUG", "quantity": 1, "amount": 1153.00}]}""";

    private Node node;
    private Path dir;
    private List<Long> frozen = List.of();

    @Test
    void auditsAnswerDegradedWhileTheDatabaseIsFrozenAndTheirRecordsArriveWhenItRunsAgain() throws Exception {
        dir = Files.createTempDirectory("preaudit-frozen-it");
        node = Node.start(Node.freePort(), Map.of("PREAUDIT_DATA_DIR", dir.resolve("data").toString()), dir.resolve("service.log"));
        assertEquals(true, audit(0).path("recorded").asBoolean(), "the service does not record audits to begin with");

        List<String> ids = new ArrayList<>();
        frozen = postgresProcesses();
        signal("-STOP", frozen);
        try {
            for (int i = 1; i <= 3; i++) {
                long start = System.nanoTime();
                JsonNode answer = audit(i);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("FrozenDatabaseIT: audit %d answered after %d ms while PostgreSQL was frozen%n", i, ms);
                assertTrue(answer.path("degraded").asBoolean() && !answer.path("recorded").asBoolean(), answer.toString());
                // the token check gives up after 1 s, the history lookup after its query timeout + 1 s (3 s), the commit
                // after commit-timeout (2 s): ~6 s at most; the rest is this shared machine's load
                assertTrue(ms <= 15_000, "audit " + i + " answered only after " + ms + " ms");
                ids.add(answer.path("auditId").asText());
            }
        } finally {
            signal("-CONT", frozen);
            frozen = List.of();
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://localhost:" + Files.readAllLines(dir.resolve("data/pg/postmaster.pid")).get(3).strip() + "/postgres");
        ds.setUser("postgres");
        ds.setPassword("postgres");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int stored = StoredAudits.count(ds, ids);
        while (stored < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            stored = StoredAudits.count(ds, ids);
        }
        assertEquals(ids.size(), stored, "records of audits answered while the database was frozen were not written afterwards");
    }

    private JsonNode audit(int i) throws Exception {
        // bounded here, so that a hang fails the test instead of holding it
        HttpResponse<String> r = node.postAsync("/api/v1/audits", AUDIT.formatted(i)).get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** The embedded PostgreSQL of the node's data directory: the postmaster and every process it started. */
    private List<Long> postgresProcesses() throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/pg/postmaster.pid")).get(0).strip());
        ProcessHandle p = ProcessHandle.of(postmaster).orElseThrow();
        return Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid).toList();
    }

    /** Signals those of {@code pids} still alive (a backend may have ended meanwhile). */
    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", signal));
        pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).forEach(p -> cmd.add(Long.toString(p)));
        if (cmd.size() > 2) {
            assertEquals(0, new ProcessBuilder(cmd).inheritIO().start().waitFor(), "kill " + signal + " failed");
        }
    }

    @AfterEach
    void stopAndClean() throws Exception {
        signal("-CONT", frozen);
        if (node != null) {
            node.stop();
        }
        TempDirs.delete(dir);
    }
}
