package com.preaudit.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

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
}
