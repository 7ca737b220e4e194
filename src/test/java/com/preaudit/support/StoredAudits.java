package com.preaudit.support;

import com.preaudit.platform.Jdbc;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the database holds, read from another connection than the service's writer. */
public final class StoredAudits {

    private StoredAudits() {
    }

    /** How many of these audit ids have a committed record. */
    public static int count(DataSource ds, List<String> ids) {
        return jdbc(ds).first("SELECT count(*) FROM audit_record WHERE audit_id = ANY(?::uuid[])",
                (c, ps) -> ps.setArray(1, c.createArrayOf("text", ids.toArray())), rs -> rs.getInt(1)).orElseThrow();
    }

    /**
     * Waits up to 20 s until the record writer has stored every one of these audits (a simulation, the statistics and
     * the audit lookup read stored records only) and asserts that it has.
     */
    public static void awaitAll(DataSource ds, List<String> ids) throws Exception {
        int stored = Await.until(() -> count(ds, ids), n -> n == ids.size(), Duration.ofSeconds(20), Duration.ofMillis(50));
        assertEquals(ids.size(), stored, "audits with a stored record");
    }

    /** When the stored record of an audit was created (the key's time, part of its month partition's bounds). */
    public static OffsetDateTime createdAt(DataSource ds, String auditId) {
        return jdbc(ds).first("SELECT created_at FROM audit_record WHERE audit_id = ?::uuid", (c, ps) -> ps.setString(1, auditId),
                rs -> rs.getObject(1, OffsetDateTime.class)).orElseThrow(() -> new AssertionError("no stored record of " + auditId));
    }

    /** Whether a table (e.g. a month's partition) exists. */
    public static boolean tableExists(DataSource ds, String table) {
        return jdbc(ds).first("SELECT to_regclass(?) IS NOT NULL", (c, ps) -> ps.setString(1, table), rs -> rs.getBoolean(1)).orElseThrow();
    }

    private static Jdbc jdbc(DataSource ds) {
        return new Jdbc(ds, "the test's database");
    }
}
