package com.preaudit.platform;

import com.preaudit.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded PostgreSQL acknowledges a commit only once its WAL is on disk. The API answers a
 * charge, a disposition or a catalog change after its commit returns, so with asynchronous commit
 * (zonky's default) a crash right after the answer could lose what the caller was told is stored.
 */
@QuarkusTest
class DurableCommitTest {


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

    private static String setting(String name) {
        return Db.one("SHOW " + name, rs -> rs.getString(1));
    }
}
