package com.preaudit.audit;

import com.preaudit.platform.Ids;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The month partitions of {@code audit_record} and {@code audit_finding} (migration V7) that the record writer has made
 * sure of before writing into them (an instance belongs to the writer thread), and the bound on {@code created_at}
 * that confines a lookup by id to the id's month (static, for the stores).
 *
 * <p>Why the writer asks and not a timer: the months a batch needs are known only from its records (a record written
 * after an outage keeps its audit's time). Asking costs one statement per month per node lifetime, so a batch
 * normally only compares its records' times with the bounds remembered here. The month after is made sure of at
 * the same time, so that the first batch of a month does not wait for DDL at midnight.
 *
 * <p>Nothing depends on this succeeding: a row whose month has no partition goes to the tables' default partition,
 * and the database function moves it into its month when that month is created.
 */
final class AuditPartitions {

    private static final Logger LOG = Logger.getLogger(AuditPartitions.class);

    /** After a failed attempt (database down) the next one waits this long; rows meanwhile go to the default partition. */
    private static final long RETRY_NANOS = 60_000_000_000L;

    /**
     * After a lock conflict (a reader of the default partitions outlasted the function's lock timeout, or the two met in
     * a deadlock and this side was cancelled) the database is fine and the next batch may try again soon.
     */
    private static final long CONFLICT_RETRY_NANOS = 1_000_000_000L;

    /** [start, end) of the months known to have their partitions, in epoch microseconds. */
    private final List<long[]> months = new ArrayList<>();
    private long retryAt = Long.MIN_VALUE;

    /**
     * Makes sure the month of every record of the batch, and the month after it, have their partitions, on {@code c}
     * in auto-commit mode. The month after is checked for every record, not only when its own month is new: otherwise
     * a month first met as "the month after" would never have its own successor made ahead.
     */
    void cover(Connection c, List<AuditRecord> batch) {
        if (retryAt != Long.MIN_VALUE && System.nanoTime() - retryAt < 0) {
            return;
        }
        for (AuditRecord r : batch) {
            try {
                long[] month = known(micros(r.createdAt()));
                if (month == null) {
                    month = ensure(c, r.createdAt());
                }
                if (known(month[1]) == null) {
                    ensure(c, OffsetDateTime.ofInstant(Instant.EPOCH.plus(month[1], ChronoUnit.MICROS), r.createdAt().getOffset()));
                }
                retryAt = Long.MIN_VALUE;
            } catch (SQLException e) {
                // 40P01 deadlock_detected, 55P03 lock_not_available
                boolean conflict = "40P01".equals(e.getSQLState()) || "55P03".equals(e.getSQLState());
                LOG.warnf("the audit tables' month partition for %s could not be created (%s); its rows go to the default "
                        + "partition until it is (next attempt in %s)", r.createdAt(), e.getMessage(), conflict ? "1 s" : "60 s");
                retryAt = System.nanoTime() + (conflict ? CONFLICT_RETRY_NANOS : RETRY_NANOS);
                return;
            }
        }
    }

    /** The known month [start, end) that contains {@code atMicros}, or null. */
    private long[] known(long atMicros) {
        for (long[] m : months) {
            if (atMicros >= m[0] && atMicros < m[1]) {
                return m;
            }
        }
        return null;
    }

    private long[] ensure(Connection c, OffsetDateTime at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT month_start, month_end FROM audit_month_partitions(?)")) {
            ps.setObject(1, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] month = {micros(rs.getObject(1, OffsetDateTime.class)), micros(rs.getObject(2, OffsetDateTime.class))};
                months.add(month);
                return month;
            }
        }
    }

    private static long micros(OffsetDateTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }

    /**
     * Condition on {@code created_at} for a lookup by a record's or finding's id, with two parameters that
     * {@link #bindIdWindow} sets. A row is stamped when its audit is answered, moments after its ids were made
     * ({@code AuditService}), so a v7 id confines the lookup to the partitions of the day around the id's time instead
     * of probing every month; ids of another version (rows not written by this service) get no bound.
     */
    static String idWindow(String createdAt) {
        return " AND " + createdAt + " >= ?::timestamptz AND " + createdAt + " < ?::timestamptz";
    }

    private static final long DAY_MILLIS = 86_400_000L;

    /** Sets the two parameters of {@link #idWindow} at {@code index} and {@code index + 1}. */
    static void bindIdWindow(PreparedStatement ps, int index, UUID id) throws SQLException {
        long millis = Ids.epochMillis(id);
        ps.setString(index, millis < 0 ? "-infinity" : Instant.ofEpochMilli(millis - DAY_MILLIS).toString());
        ps.setString(index + 1, millis < 0 ? "infinity" : Instant.ofEpochMilli(millis + DAY_MILLIS).toString());
    }
}
