package com.preaudit.simulation;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Tells a simulation that is running somewhere from one whose process is gone. Each process has a node id and,
 * while it runs or queues simulations, holds a PostgreSQL session advisory lock for that id on a connection of
 * its own. PostgreSQL drops the lock with the session, so when the process stops or is killed (or loses its
 * database connection) the lock is free, and any node can tell that the RUNNING rows of that node will never
 * finish. No clock, heartbeat or timeout to tune.
 */
@ApplicationScoped
public class NodeLock {

    private static final Logger LOG = Logger.getLogger(NodeLock.class);
    /** First key of the two-int advisory lock space reserved for simulation nodes. */
    private static final int LOCK_CLASS = 0x51A1;

    private final AgroalDataSource ds;
    private final String node = UUID.randomUUID().toString();
    private Connection held;

    public NodeLock(AgroalDataSource ds) {
        this.ds = ds;
    }

    public String node() {
        return node;
    }

    /** Takes this node's lock unless its session still holds it (e.g. after the database came back). */
    public synchronized void hold() throws SQLException {
        if (held != null) {
            try {
                if (held.isValid(2)) {
                    return;
                }
            } catch (SQLException e) {
                // a dead session holds no lock: take it again below
            }
            closeQuietly();
        }
        Connection c = ds.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
            c.setAutoCommit(true);
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, node);
            ps.execute();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        held = c;
    }

    /** True when the process of {@code otherNode} still holds its lock (that is, it is alive and connected). */
    public boolean alive(String otherNode) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setString(2, otherNode);
            boolean got;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                got = rs.getBoolean(1);
            }
            if (got) {
                try (PreparedStatement un = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
                    un.setInt(1, LOCK_CLASS);
                    un.setString(2, otherNode);
                    un.execute();
                }
            }
            return !got;
        }
    }

    public synchronized void release() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (held == null) {
            return;
        }
        try {
            // back in the pool, the session must not keep the lock
            try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                ps.execute();
            }
        } catch (SQLException e) {
            LOG.debugf("simulation node lock: %s", e.getMessage());
        }
        try {
            held.close();
        } catch (SQLException e) {
            LOG.debugf("simulation node lock: %s", e.getMessage());
        }
        held = null;
    }
}
