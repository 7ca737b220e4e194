package com.preaudit.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the database holds, read from another connection than the service's writer. */
public final class StoredAudits {

    private StoredAudits() {
    }

    /** How many of these audit ids have a committed record. */
    public static int count(DataSource ds, List<String> ids) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_record WHERE audit_id = ANY(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
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
    public static OffsetDateTime createdAt(DataSource ds, String auditId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT created_at FROM audit_record WHERE audit_id = ?::uuid")) {
            ps.setString(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class);
            }
        }
    }

    /** Whether a table (e.g. a month's partition) exists. */
    public static boolean tableExists(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
