package com.preaudit.platform;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One JDBC statement on a connection of its own, run the way every JDBC store runs one: parameters bound, rows read,
 * resources closed, and a database failure turned into the one {@link StorageException} naming the store. Stores keep
 * their SQL and their row shapes; this keeps the plumbing (and the failure path) in one place.
 */
public final class Jdbc {

    /** How a statement's parameters are bound (the connection is there for arrays). */
    @FunctionalInterface
    public interface Binder {
        void bind(Connection c, PreparedStatement ps) throws SQLException;
    }

    /** One result row as a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final DataSource ds;
    private final String store;

    /** @param store what a client is told is unavailable when a statement fails, e.g. "the charge store" */
    public Jdbc(DataSource ds, String store) {
        this.ds = ds;
        this.store = store;
    }

    /** Every row of a query, in the order the database returns them. */
    public <T> List<T> list(String sql, Binder binder, RowReader<T> reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(c, ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The first row of a query, or empty when it has none. */
    public <T> Optional<T> first(String sql, Binder binder, RowReader<T> reader) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs a data-changing statement (autocommit: committed when this returns); the number of rows it changed. */
    public int update(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(c, ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The store's failure for a statement it ran itself (a transaction of several statements, a COPY). */
    public StorageException failed(SQLException e) {
        return new StorageException(store, e);
    }
}
