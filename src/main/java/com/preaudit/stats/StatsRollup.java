package com.preaudit.stats;

import com.preaudit.platform.DaemonThreads;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The daily rollup of the statistics (V75): each closed day of the last {@code preaudit.stats.rollup-days} is computed
 * once, in the statistics' zone, into stats_rollup_daily / stats_rollup_group, so that {@link StatsStore} reads a few
 * hundred rows per day instead of aggregating the day's audits and findings on every request.
 *
 * <p>A day is rolled up {@code rollup-after} after it ended, by one node at a time (an advisory lock; the others skip
 * their turn), several consecutive days per REPEATABLE READ transaction, whose snapshot is stored with the rows. A
 * day whose rollup a later change made stale (see V75's stats_stale) is rolled up again at the next check; until
 * then {@link StatsStore} computes it from the audit tables. Nothing here is on an audit's path: the record writer only
 * marks a batch written more than a minute after its audits.
 */
@ApplicationScoped
public class StatsRollup {

    private static final Logger LOG = Logger.getLogger(StatsRollup.class);
    /** Consecutive days rolled up in one transaction: short transactions, bounded sorts. */
    private static final int DAYS_PER_TRANSACTION = 7;
    /** A request that meets a closed day without its rollup wakes the roller at most this often. */
    private static final long WAKE_NANOS = 30_000_000_000L;

    private final AgroalDataSource ds;
    private final StatsConfig config;
    private final ZoneId zone;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile long lastWake = System.nanoTime() - WAKE_NANOS;
    private ScheduledExecutorService timer;

    public StatsRollup(AgroalDataSource ds, StatsConfig config) {
        this.ds = ds;
        this.config = config;
        this.zone = config.zoneId();
    }

    void start(@Observes StartupEvent event) {
        if (config.rollupAfter().compareTo(Duration.ofMinutes(2)) < 0) {
            throw new IllegalStateException("preaudit.stats.rollup-after must be at least 2 minutes (a record written up to a minute "
                    + "after its audit is not marked late), not " + config.rollupAfter());
        }
        if (config.rollupDays() < 0) {
            throw new IllegalStateException("preaudit.stats.rollup-days must be 0 (off) or more, not " + config.rollupDays());
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("stats-rollup"));
        timer.scheduleWithFixedDelay(this::checkQuietly, 5, Math.max(1, config.rollupCheck().toSeconds()), TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The zone whose days are rolled up: the statistics' zone. */
    ZoneId zone() {
        return zone;
    }

    /** Whether this node keeps rollups of days in {@code z} (the statistics' zone, rolling not turned off). */
    boolean rolls(ZoneId z) {
        return config.rollupDays() > 0 && zone.equals(z);
    }

    /** The first day the roller keeps rolled up when it is {@code today}. */
    LocalDate firstDay(LocalDate today) {
        return today.minusDays(config.rollupDays());
    }

    /** A request met a closed day of the window without a valid rollup: check soon rather than at the next turn. */
    void wake() {
        long now = System.nanoTime();
        if (timer == null || now - lastWake < WAKE_NANOS || !wakePending.compareAndSet(false, true)) {
            return;
        }
        lastWake = now;
        timer.schedule(() -> {
            wakePending.set(false);
            checkQuietly();
        }, 1, TimeUnit.SECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("statistics rollup failed, retrying at the next check: %s", e.getMessage());
        }
    }

    /** One turn: roll up the window's closed days that need it, drop marks and rollups nothing needs; skipped while another node does. */
    void check() throws SQLException {
        LocalDate today = LocalDate.now(zone);
        run(config.rollupDays() > 0 ? firstDay(today) : null, today.minusDays(1), false);
    }

    /**
     * Rolls up the days of [from, to] (the statistics' zone) that have ended {@code rollup-after} ago by the database's
     * clock and have no valid rollup, waiting for another node's turn to end; returns how many days were rolled up.
     */
    public int roll(LocalDate from, LocalDate to) throws SQLException {
        return run(from, to, true);
    }

    private int run(LocalDate from, LocalDate to, boolean wait) throws SQLException {
        try (Connection c = ds.getConnection()) {
            if (!lock(c, wait)) {
                return 0;
            }
            try {
                int rolled = 0;
                if (from != null && !from.isAfter(to)) {
                    List<LocalDate> days = needed(c, from, to);
                    List<LocalDate> chunk = new ArrayList<>();
                    for (LocalDate d : days) {
                        if (!chunk.isEmpty() && (!d.equals(chunk.get(chunk.size() - 1).plusDays(1)) || chunk.size() == DAYS_PER_TRANSACTION)) {
                            rollUp(c, chunk);
                            chunk.clear();
                        }
                        chunk.add(d);
                    }
                    if (!chunk.isEmpty()) {
                        rollUp(c, chunk);
                    }
                    rolled = days.size();
                }
                tidy(c);
                return rolled;
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(hashtext('stats_rollup'))");
                } catch (SQLException e) {
                    // the connection is gone, and the session's lock with it
                    LOG.debugf("statistics rollup lock not released: %s", e.getMessage());
                }
            }
        }
    }

    /**
     * A session lock, taken before the rollup's transaction begins, so that its snapshot is taken after the previous
     * holder committed: rollups never run concurrently, and {@link #tidy} sees every rollup there is.
     */
    private static boolean lock(Connection c, boolean wait) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(wait ? "SELECT true FROM (SELECT pg_advisory_lock(hashtext('stats_rollup'))) l"
                     : "SELECT pg_try_advisory_lock(hashtext('stats_rollup'))")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The days of [from, to] that have ended rollup-after ago and have no valid rollup. */
    private List<LocalDate> needed(Connection c, LocalDate from, LocalDate to) throws SQLException {
        OffsetDateTime now;
        List<LocalDate> valid = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT now(), array(SELECT r.day FROM stats_rollup r WHERE r.zone = ? "
                + "AND r.day BETWEEN ? AND ? AND " + StatsStore.VALID + ")")) {
            ps.setString(1, zone.getId());
            ps.setObject(2, from);
            ps.setObject(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                now = rs.getObject(1, OffsetDateTime.class);
                for (Object d : (Object[]) rs.getArray(2).getArray()) {
                    valid.add(((java.sql.Date) d).toLocalDate());
                }
            }
        }
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!valid.contains(d) && !StatsStore.start(d.plusDays(1), zone).plus(config.rollupAfter()).isAfter(now)) {
                days.add(d);
            }
        }
        return days;
    }

    /** Replaces the rollup of these consecutive days in one REPEATABLE READ transaction, stored with its snapshot. */
    private void rollUp(Connection c, List<LocalDate> days) throws SQLException {
        long t0 = System.nanoTime();
        LocalDate first = days.get(0);
        LocalDate last = days.get(days.size() - 1);
        OffsetDateTime start = StatsStore.start(first, zone);
        OffsetDateTime end = StatsStore.start(last.plusDays(1), zone);
        transaction(c, Connection.TRANSACTION_REPEATABLE_READ, () -> {
            String snapshot;
            // the transaction's snapshot is taken here: every statement below reads the audit tables as of this point
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_snapshot()::text")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            Object[] dayArray = days.stream().map(LocalDate::toString).toArray();
            for (String table : new String[] {"stats_rollup_group", "stats_rollup_daily", "stats_rollup"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE zone = ? AND day = ANY(?)")) {
                    ps.setString(1, zone.getId());
                    ps.setArray(2, c.createArrayOf("date", dayArray));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stats_rollup_daily (zone, day, stage, audits, blocked, warned, passed, "
                    + "findings, overridden, amount) SELECT ?, * FROM (" + StatsStore.DAILY_BY_STAGE + ") x")) {
                ps.setString(1, zone.getId());
                ps.setObject(2, start.minusDays(1));
                ps.setString(3, zone.getId());
                ps.setObject(4, start);
                ps.setObject(5, end);
                ps.setString(6, zone.getId());
                ps.setObject(7, start);
                ps.setObject(8, end);
                ps.executeUpdate();
            }
            for (StatsStore.GroupBy dim : StatsStore.GroupBy.values()) {
                try (PreparedStatement ps = c.prepareStatement("WITH " + StatsStore.grouped(dim, 1, false, null, null,
                        java.util.EnumSet.allOf(StatsStore.Shadow.class))
                        + " INSERT INTO stats_rollup_group (zone, dim, " + StatsStore.ROLLUP_GROUP_COLUMNS + ") SELECT ?, ?, "
                        + StatsStore.ROLLUP_GROUP_COLUMNS + " FROM live")) {
                    int i = StatsStore.bindGrouped(ps, 1, zone, List.of(new StatsStore.Run(first, last.plusDays(1))), null, null, null);
                    ps.setString(i++, zone.getId());
                    ps.setString(i, dim.name());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stats_rollup (zone, day, day_start, day_end, snap) "
                    + "VALUES (?, ?, ?, ?, ?::pg_snapshot)")) {
                for (LocalDate d : days) {
                    ps.setString(1, zone.getId());
                    ps.setObject(2, d);
                    ps.setObject(3, StatsStore.start(d, zone));
                    ps.setObject(4, StatsStore.start(d.plusDays(1), zone));
                    ps.setString(5, snapshot);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        LOG.debugf("statistics rolled up for %s..%s (%s) in %d ms", first, last, zone, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Drops the stale marks that every rollup over their instants has seen (a rollup made later sees them too: it is
     * made under the same lock, after this), and the stale rollups of days the window no longer keeps (nothing would
     * roll them up again). Valid rollups of older days stay: they are small and still serve longer ranges.
     */
    private void tidy(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM stats_stale s WHERE NOT EXISTS (SELECT 1 FROM stats_rollup r WHERE s.at_from < r.day_end "
                    + "AND s.at_to >= r.day_start AND NOT pg_visible_in_snapshot(s.txid, r.snap))");
        }
        LocalDate keepFrom = config.rollupDays() > 0 ? firstDay(LocalDate.now(zone)) : LocalDate.of(9999, 12, 31);
        transaction(c, Connection.TRANSACTION_READ_COMMITTED, () -> {
            List<Object[]> stale = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT r.zone, r.day FROM stats_rollup r WHERE (r.zone <> ? OR r.day < ?) "
                    + "AND NOT " + StatsStore.VALID)) {
                ps.setString(1, zone.getId());
                ps.setObject(2, keepFrom);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stale.add(new Object[] {rs.getString(1), rs.getObject(2, LocalDate.class)});
                    }
                }
            }
            for (String table : new String[] {"stats_rollup_group", "stats_rollup_daily", "stats_rollup"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE zone = ? AND day = ?")) {
                    for (Object[] r : stale) {
                        ps.setString(1, (String) r[0]);
                        ps.setObject(2, r[1]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        });
    }

    /** Statements run in one transaction. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction at {@code isolation}: committed when it returns, rolled back when it throws; the
     * connection is left in autocommit at READ COMMITTED (the pool's default) either way.
     */
    private static void transaction(Connection c, int isolation, Work work) throws SQLException {
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }
}
