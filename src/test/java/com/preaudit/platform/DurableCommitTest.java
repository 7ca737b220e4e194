package com.preaudit.platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded PostgreSQL acknowledges a commit only once its WAL is on disk. The API answers a
 * charge, a disposition or a catalog change after its commit returns, so with asynchronous commit
 * (zonky's default) a crash right after the answer could lose what the caller was told is stored.
 */
@QuarkusTest
class DurableCommitTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void theServiceConnectionsCommitToDisk() throws SQLException {
        assertEquals("on", setting("synchronous_commit"));
        assertEquals("on", setting("fsync"));
    }

    @Test
    void theEmbeddedServerIsPostgreSQL17LikeTheComposeFile() throws SQLException {
        // docker/compose.yaml runs postgres:17; the embedded server must be the same major version
        assertEquals("17", setting("server_version_num").substring(0, 2));
    }

    private String setting(String name) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
