package com.preaudit.audit;

import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.DaemonThreads;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code preaudit.audit.retention-months} (unset: keep everything): whole monthly partitions of audit records whose
 * every record is older than that are dropped, both tables' partitions of the month in one transaction with its
 * change-log entry, and logged. Months are those of the partitions (China Standard Time). Checked at start and then
 * every {@code retention-check}; nodes doing it at once are serialised by the partition function's advisory lock.
 * Export a month before it goes: {@code GET /api/v1/audits/export?month=…}.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** The partitions' zone (V7's audit_month_partitions). */
    static final ZoneId MONTHS = ZoneId.of("Asia/Shanghai");
    private static final Pattern PARTITION = Pattern.compile("audit_record_y(\\d{4})m(\\d{2})");

    private final AgroalDataSource ds;
    private final EntityManager em;
    private final ChangeLog changeLog;
    private final AuditConfig config;
    private ScheduledExecutorService timer;

    public AuditRetention(AgroalDataSource ds, EntityManager em, ChangeLog changeLog, AuditConfig config) {
        this.ds = ds;
        this.em = em;
        this.changeLog = changeLog;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (config.retentionMonths().isEmpty()) {
            return;
        }
        if (config.retentionMonths().get() < 1) {
            throw new IllegalStateException("preaudit.audit.retention-months must be at least 1 (unset keeps everything), not "
                    + config.retentionMonths().get());
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("audit-retention"));
        timer.scheduleWithFixedDelay(this::applyQuietly, 1, config.retentionCheck().toSeconds(), TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void applyQuietly() {
        try {
            int months = config.retentionMonths().orElseThrow();
            dropBefore(firstKept(OffsetDateTime.now(), months), "older than " + months + " months (preaudit.audit.retention-months)");
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("audit retention failed, retrying at the next check: %s", e.getMessage());
        }
    }

    /**
     * The first month kept: a month is dropped once it ended at least {@code months} months before {@code now}, i.e. every
     * record in it is older than that.
     */
    static YearMonth firstKept(OffsetDateTime now, int months) {
        // a month before the one that contains the limit ended by the limit; the limit's own month did not
        return YearMonth.from(now.atZoneSameInstant(MONTHS).minusMonths(months));
    }

    /** Drops every month's partitions before {@code firstKept}; returns the months dropped, oldest first. */
    public List<YearMonth> dropBefore(YearMonth firstKept, String why) throws SQLException {
        List<YearMonth> dropped = new ArrayList<>();
        for (YearMonth month : months()) {
            if (!month.isBefore(firstKept)) {
                continue;
            }
            String records = partition("audit_record", month);
            String findings = partition("audit_finding", month);
            long count = QuarkusTransaction.requiringNew().call(() -> {
                // the lock audit_month_partitions() takes: no partition is made or moved into meanwhile
                em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext('audit_month_partitions'))) l")
                        .getSingleResult();
                long n = ((Number) em.createNativeQuery("SELECT count(*) FROM " + records).getSingleResult()).longValue();
                em.createNativeQuery("DROP TABLE IF EXISTS " + findings).executeUpdate();
                em.createNativeQuery("DROP TABLE IF EXISTS " + records).executeUpdate();
                // the statistics' rollups of the month's days (V75) count what is gone now
                em.createNativeQuery("INSERT INTO stats_stale (at_from, at_to) VALUES (?1, ?2)")
                        .setParameter(1, month.atDay(1).atStartOfDay(MONTHS).toOffsetDateTime())
                        .setParameter(2, month.plusMonths(1).atDay(1).atStartOfDay(MONTHS).toOffsetDateTime())
                        .executeUpdate();
                changeLog.record("audit.retention.drop", month.toString(),
                        n + " audit records of " + month + " dropped with their findings: " + why);
                return n;
            });
            LOG.infof("audit retention: dropped the %d audit records of %s and their findings (%s)", count, month, why);
            dropped.add(month);
        }
        return dropped;
    }

    /** The months that have a record partition, oldest first. */
    List<YearMonth> months() throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = 'audit_record'::regclass ORDER BY 1")) {
            while (rs.next()) {
                Matcher m = PARTITION.matcher(rs.getString(1));
                if (m.matches()) {
                    months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
        }
        return months;
    }

    static String partition(String table, YearMonth month) {
        return String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue());
    }
}
