package com.preaudit.support;

import com.preaudit.platform.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SQL a {@code @QuarkusTest} runs beside the service, on the service's own data source, one call a statement:
 * parameters bound in order ({@code String[]} as a text array), rows read with {@link Jdbc}. For what a test writes
 * into or reads from the tables behind the API's back (another node's write, a plan, a count).
 */
public final class Db {

    private Db() {
    }

    /** The service's data source, for helpers that take one (they serve the ITs' own databases too). */
    public static AgroalDataSource dataSource() {
        return Arc.container().instance(AgroalDataSource.class).get();
    }

    private static Jdbc jdbc() {
        return new Jdbc(dataSource(), "the test's database");
    }

    /** Runs a data-changing statement; the number of rows it changed. */
    public static int update(String sql, Object... params) {
        return jdbc().update(sql, (c, ps) -> bind(ps, params));
    }

    /** Every row of a query. */
    public static <T> List<T> list(String sql, Jdbc.RowReader<T> reader, Object... params) {
        return jdbc().list(sql, (c, ps) -> bind(ps, params), reader);
    }

    /** The one row of a query (asserted: exactly one). */
    public static <T> T one(String sql, Jdbc.RowReader<T> reader, Object... params) {
        List<T> rows = list(sql, reader, params);
        assertEquals(1, rows.size(), () -> "rows of " + sql);
        return rows.get(0);
    }

    /** The first column of a query's one row as a number ({@code SELECT count(*) …}). */
    public static long number(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params);
    }

    /** The plan PostgreSQL chooses for a statement, as {@code EXPLAIN} (with the given options) prints it. */
    public static String plan(String options, String sql, Object... params) {
        return plan(options, sql, (c, ps) -> bind(ps, params));
    }

    /** The same, for a statement whose parameters a store's own binder sets. */
    public static String plan(String options, String sql, Jdbc.Binder binder) {
        return String.join("\n", jdbc().list("EXPLAIN " + options + " " + sql, binder, rs -> rs.getString(1)));
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof String[] texts) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("text", texts));
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }
}
