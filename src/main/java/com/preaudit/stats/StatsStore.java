package com.preaudit.stats;

import com.preaudit.platform.StorageException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregations over audit_record / audit_finding / disposition for one date range. Each query is a
 * range scan of the created_at indexes plus a hash join with the latest disposition per finding.
 */
@ApplicationScoped
public class StatsStore {

    public enum GroupBy {
        DEPARTMENT("f.department_code"), DOCTOR("f.doctor_id"), RULE("f.rule_code"), ITEM("item.code");

        final String column;

        GroupBy(String column) {
            this.column = column;
        }
    }

    public enum SortBy {
        FINDINGS("findings"), AUDITS("audits"), BLOCKED("blocked"), OVERRIDDEN("overridden"), OVERRIDE_RATE("override_rate"),
        AMOUNT_AT_RISK("amount_at_risk");

        final String column;

        SortBy(String column) {
            this.column = column;
        }
    }

    // A disposition is made after its audit; reading those made since a day before the range began
    // (slack for clocks of different nodes) finds every disposition of the range's findings.
    private static final String LATEST_DISPOSITION = "d AS (SELECT DISTINCT ON (finding_id) finding_id, disposition FROM disposition "
            + "WHERE created_at >= ? ORDER BY finding_id, created_at DESC)";

    private final AgroalDataSource ds;

    public StatsStore(AgroalDataSource ds) {
        this.ds = ds;
    }

    /**
     * Rules are filed under a tier and a category in the catalog (catalog_rule), not in each finding: a filter keeps the
     * findings whose rule code any published version files under them (a small table, read as one hashed subplan). A code
     * keeps its national tier and category across versions, so this is what the finding's own version says.
     */
    private static final String RULES_OF_TIER = " AND f.rule_code IN (SELECT code FROM catalog_rule WHERE version > 0 AND tier = ?)";
    private static final String RULES_OF_CATEGORY = " AND f.rule_code IN (SELECT code FROM catalog_rule WHERE version > 0 "
            + "AND body->>'category' = ?)";

    /** The categories (二级分类) of the rules of every published version, sorted. */
    public List<String> categories() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT DISTINCT body->>'category' AS category "
                + "FROM catalog_rule WHERE version > 0 AND body->>'category' IS NOT NULL ORDER BY 1")) {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Which findings a ranking counts: those of live rules (default), only those of SHADOW rules, or both. */
    public enum Shadow {
        EXCLUDE("NOT shadow"), ONLY("shadow"), INCLUDE("true");

        final String counted;

        Shadow(String counted) {
            this.counted = counted;
        }
    }

    /**
     * Money at risk of the counted findings, each flagged line once per group and audit: a line flagged by
     * several rules is one line at risk (the largest amount any of its findings gives it), not one per rule. A
     * notice (INFO) and an exempted finding put nothing at risk. A finding without lines (diagnosis level), or
     * written before V30 stored lines, counts its own amount.
     */
    private static String money(String counted, String group, boolean byItem) {
        return "SELECT " + group + ", sum(amount) AS amount FROM (SELECT DISTINCT ON (f." + group + ", f.audit_id, "
                + "coalesce(l.id, f.finding_id::text)) f." + group + ", CASE WHEN l.id IS NULL THEN f.amount_at_risk ELSE l.amount END AS amount "
                + "FROM f LEFT JOIN LATERAL unnest(f.line_ids, f.line_item_codes, f.line_amounts) AS l(id, code, amount) ON true "
                + "WHERE " + counted + " AND f.action <> 'INFO' AND f.exemption_id IS NULL"
                + (byItem ? " AND (l.id IS NULL OR l.code = f.group_key)" : "")
                + " ORDER BY f." + group + ", f.audit_id, coalesce(l.id, f.finding_id::text), amount DESC NULLS LAST) x GROUP BY " + group;
    }

    public List<FindingStats.Row> findings(LocalDate from, LocalDate to, ZoneId zone, GroupBy groupBy, String stage, SortBy sort,
                                           Shadow shadow, int limit, String tier, String category) {
        String name = switch (groupBy) {
            case DEPARTMENT -> "f.department_name";
            case DOCTOR -> "f.doctor_name";
            case RULE -> "f.rule_name";
            // the name the latest audit gave a line of this item
            case ITEM -> "(SELECT u.n FROM unnest(f.line_item_codes, f.line_item_names) AS u(c, n) WHERE u.c = item.code "
                    + "AND u.n IS NOT NULL LIMIT 1)";
        };
        String c = shadow.counted;
        String sql = "WITH " + LATEST_DISPOSITION + ", f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, f.created_at, "
                + "f.shadow, f.exemption_id, f.line_ids, f.line_item_codes, f.line_amounts, "
                + groupBy.column + " AS group_key, " + name + " AS name "
                + "FROM audit_finding f " + (groupBy == GroupBy.ITEM ? "CROSS JOIN LATERAL unnest(f.item_codes) AS item(code) " : "")
                + "WHERE f.created_at >= ? AND f.created_at < ?" + (stage == null ? "" : " AND f.stage = ?")
                + (shadow == Shadow.ONLY ? " AND f.shadow" : "")
                + (tier == null ? "" : RULES_OF_TIER) + (category == null ? "" : RULES_OF_CATEGORY) + "), "
                + "m AS (" + money(c, "group_key", groupBy == GroupBy.ITEM) + "), "
                + "g AS (SELECT group_key, (array_agg(name ORDER BY created_at DESC) FILTER (WHERE name IS NOT NULL))[1] AS name, "
                + "count(DISTINCT audit_id) FILTER (WHERE " + c + ") AS audits, count(*) FILTER (WHERE " + c + ") AS findings, "
                + "count(*) FILTER (WHERE " + c + " AND action = 'BLOCK') AS blocked, "
                + "count(*) FILTER (WHERE " + c + " AND d.disposition = 'OVERRIDDEN') AS overridden, "
                + "count(*) FILTER (WHERE " + c + " AND d.disposition = 'SELF_PAY') AS self_pay, "
                + "count(*) FILTER (WHERE " + c + " AND d.disposition = 'MODIFIED') AS modified, "
                + "count(*) FILTER (WHERE " + c + " AND exemption_id IS NOT NULL) AS exempted, "
                + "count(*) FILTER (WHERE shadow) AS shadow_findings "
                + "FROM f LEFT JOIN d USING (finding_id) GROUP BY group_key) "
                + "SELECT g.group_key, g.name, g.audits, g.findings, g.blocked, g.overridden, g.self_pay, g.modified, "
                + "coalesce(m.amount, 0) AS amount_at_risk, g.exempted, g.shadow_findings, "
                + "g.overridden::numeric / greatest(g.findings, 1) AS override_rate "
                + "FROM g LEFT JOIN m ON m.group_key IS NOT DISTINCT FROM g.group_key "
                + "ORDER BY " + sort.column + " DESC, findings DESC, shadow_findings DESC, group_key ASC NULLS LAST LIMIT ?";
        List<FindingStats.Row> rows = new ArrayList<>();
        try (Connection c2 = ds.getConnection(); PreparedStatement ps = c2.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, start(from, zone).minusDays(1));
            ps.setObject(i++, start(from, zone));
            ps.setObject(i++, start(to.plusDays(1), zone));
            if (stage != null) {
                ps.setString(i++, stage);
            }
            if (tier != null) {
                ps.setString(i++, tier);
            }
            if (category != null) {
                ps.setString(i++, category);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long findings = rs.getLong(4);
                    long overridden = rs.getLong(6);
                    rows.add(new FindingStats.Row(rs.getString(1), rs.getString(2), rs.getLong(3), findings, rs.getLong(5), overridden,
                            rs.getLong(7), rs.getLong(8), rate(overridden, findings), money(rs.getBigDecimal(9)), rs.getLong(10),
                            rs.getLong(11)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public List<FindingStats.Day> daily(LocalDate from, LocalDate to, ZoneId zone, String stage) {
        String audits = "SELECT (created_at AT TIME ZONE ?)::date AS day, count(*), count(*) FILTER (WHERE decision = 'BLOCK'), "
                + "count(*) FILTER (WHERE decision = 'WARN'), count(*) FILTER (WHERE decision = 'PASS') "
                + "FROM audit_record WHERE created_at >= ? AND created_at < ?" + (stage == null ? "" : " AND stage = ?") + " GROUP BY 1";
        // findings of live rules only (a SHADOW rule's findings are counted by the rankings' shadowFindings)
        String findings = "WITH " + LATEST_DISPOSITION + ", f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, "
                + "f.exemption_id, f.line_ids, f.line_item_codes, f.line_amounts, f.shadow, (f.created_at AT TIME ZONE ?)::date AS day "
                + "FROM audit_finding f WHERE f.created_at >= ? AND f.created_at < ? AND NOT f.shadow"
                + (stage == null ? "" : " AND f.stage = ?") + "), m AS (" + money("true", "day", false) + ") "
                + "SELECT f.day, count(*), count(*) FILTER (WHERE d.disposition = 'OVERRIDDEN'), "
                + "coalesce((SELECT m.amount FROM m WHERE m.day = f.day), 0) FROM f LEFT JOIN d USING (finding_id) GROUP BY f.day";
        Map<LocalDate, DayAudits> auditsOf = new TreeMap<>();
        Map<LocalDate, DayFindings> findingsOf = new TreeMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(audits)) {
                bindDays(ps, 1, zone, from, to, stage);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        auditsOf.put(rs.getObject(1, LocalDate.class), new DayAudits(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(findings)) {
                ps.setObject(1, start(from, zone).minusDays(1));
                bindDays(ps, 2, zone, from, to, stage);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        findingsOf.put(rs.getObject(1, LocalDate.class), new DayFindings(rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)));
                    }
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        // every day of the range, zeros included, so a chart needs no gap filling
        List<FindingStats.Day> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            DayAudits a = auditsOf.getOrDefault(d, DayAudits.NONE);
            DayFindings f = findingsOf.getOrDefault(d, DayFindings.NONE);
            days.add(new FindingStats.Day(d, a.audits(), f.findings(), a.blocked(), a.warned(), a.passed(), f.overridden(), money(f.amountAtRisk())));
        }
        return days;
    }

    /** One day's audits by decision, as the daily query's first statement reads them. */
    private record DayAudits(long audits, long blocked, long warned, long passed) {
        static final DayAudits NONE = new DayAudits(0, 0, 0, 0);
    }

    /** One day's findings, as the daily query's second statement reads them. */
    private record DayFindings(long findings, long overridden, BigDecimal amountAtRisk) {
        static final DayFindings NONE = new DayFindings(0, 0, null);
    }

    /** The daily statements' common parameters from {@code i} on: the zone of "day", the range, the stage if any. */
    private static void bindDays(PreparedStatement ps, int i, ZoneId zone, LocalDate from, LocalDate to, String stage) throws SQLException {
        ps.setString(i, zone.getId());
        ps.setObject(i + 1, start(from, zone));
        ps.setObject(i + 2, start(to.plusDays(1), zone));
        if (stage != null) {
            ps.setString(i + 3, stage);
        }
    }

    private static OffsetDateTime start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0.0 : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }

    private static BigDecimal money(BigDecimal d) {
        return d == null ? BigDecimal.ZERO.setScale(2) : d.setScale(2, RoundingMode.HALF_UP);
    }

    private static StorageException unavailable(SQLException e) {
        return new StorageException("the statistics database", e);
    }
}
