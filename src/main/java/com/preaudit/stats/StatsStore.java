package com.preaudit.stats;

import com.preaudit.platform.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
 *
 * <p>Days of the range that have a valid daily rollup ({@link StatsRollup}, V75) are read from it; the others (today,
 * days older than the rollup keeps, a day whose rollup a late disposition made stale) are computed here from the
 * audit tables, in the same statement, so that a ranking's sort and limit apply to the whole range. When no day of
 * the range is rolled up, the query is the live one ({@link #liveFindings}, {@link #liveDaily}), unchanged.
 */
@ApplicationScoped
public class StatsStore {

    public enum GroupBy {
        DEPARTMENT("f.department_code", "f.department_name"), DOCTOR("f.doctor_id", "f.doctor_name"), RULE("f.rule_code", "f.rule_name"),
        // the name the latest audit gave a line of this item
        ITEM("item.code", "(SELECT u.n FROM unnest(f.line_item_codes, f.line_item_names) AS u(c, n) WHERE u.c = item.code "
                + "AND u.n IS NOT NULL LIMIT 1)");

        final String column;
        /** The key's name as one finding gives it (null when it gives none). */
        final String name;

        GroupBy(String column, String name) {
            this.column = column;
            this.name = name;
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

    private final Jdbc db;
    private final StatsRollup rollup;

    public StatsStore(AgroalDataSource ds, StatsRollup rollup) {
        this.db = new Jdbc(ds, "the statistics database");
        this.rollup = rollup;
    }

    /** The categories (二级分类) of the rules of every published version, sorted. */
    public List<String> categories() {
        return db.list("SELECT DISTINCT body->>'category' AS category FROM catalog_rule WHERE version > 0 "
                + "AND body->>'category' IS NOT NULL ORDER BY 1", (c, ps) -> { }, rs -> rs.getString(1));
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
     * written before V30 stored lines, counts its own amount. Grouped by {@code keys} (columns of the CTE f): the key
     * alone for the live ranking, the day for the live daily figures, day and stage (and the key) for the rollup.
     */
    private static String money(String counted, boolean byItem, String... keys) {
        String group = String.join(", ", keys);
        String fGroup = "f." + String.join(", f.", keys);
        return "SELECT " + group + ", sum(amount) AS amount FROM (SELECT DISTINCT ON (" + fGroup + ", f.audit_id, "
                + "coalesce(l.id, f.finding_id::text)) " + fGroup + ", CASE WHEN l.id IS NULL THEN f.amount_at_risk ELSE l.amount END AS amount "
                + "FROM f LEFT JOIN LATERAL unnest(f.line_ids, f.line_item_codes, f.line_amounts) AS l(id, code, amount) ON true "
                + "WHERE " + counted + " AND f.action <> 'INFO' AND f.exemption_id IS NULL"
                + (byItem ? " AND (l.id IS NULL OR l.code = f.group_key)" : "")
                + " ORDER BY " + fGroup + ", f.audit_id, coalesce(l.id, f.finding_id::text), amount DESC NULLS LAST) x GROUP BY " + group;
    }

    /** A ranking's order: the asked-for figure, then findings, SHADOW findings and the key, so that ties sort the same every time. */
    private static String rankingOrder(SortBy sort) {
        return " ORDER BY " + sort.column + " DESC, findings DESC, shadow_findings DESC, group_key ASC NULLS LAST LIMIT ?";
    }

    /** The ranking computed from the audit tables alone, for the whole range (no rollup). */
    List<FindingStats.Row> liveFindings(LocalDate from, LocalDate to, ZoneId zone, GroupBy groupBy, String stage, SortBy sort,
                                        Shadow shadow, int limit, String tier, String category) {
        String c = shadow.counted;
        String sql = "WITH " + LATEST_DISPOSITION + ", f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, f.created_at, "
                + "f.shadow, f.exemption_id, f.line_ids, f.line_item_codes, f.line_amounts, "
                + groupBy.column + " AS group_key, " + groupBy.name + " AS name "
                + "FROM audit_finding f " + (groupBy == GroupBy.ITEM ? "CROSS JOIN LATERAL unnest(f.item_codes) AS item(code) " : "")
                + "WHERE f.created_at >= ? AND f.created_at < ?" + (stage == null ? "" : " AND f.stage = ?")
                + (shadow == Shadow.ONLY ? " AND f.shadow" : "")
                + rulesOf(tier, category, "f.rule_code") + "), "
                + "m AS (" + money(c, groupBy == GroupBy.ITEM, "group_key") + "), "
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
                + "FROM g LEFT JOIN m ON m.group_key IS NOT DISTINCT FROM g.group_key"
                + rankingOrder(sort);
        return db.list(sql, (conn, ps) -> {
            ps.setObject(1, start(from, zone).minusDays(1));
            ps.setObject(2, start(from, zone));
            ps.setObject(3, start(to.plusDays(1), zone));
            ps.setInt(bindFilters(ps, 4, stage, tier, category), limit);
        }, StatsStore::row);
    }

    /** A ranking's row as both ranking statements select it: key, name, the counts, money, exempted, SHADOW findings. */
    private static FindingStats.Row row(ResultSet rs) throws SQLException {
        long findings = rs.getLong(4);
        long overridden = rs.getLong(6);
        return new FindingStats.Row(rs.getString(1), rs.getString(2), rs.getLong(3), findings, rs.getLong(5), overridden,
                rs.getLong(7), rs.getLong(8), rate(overridden, findings), money(rs.getBigDecimal(9)), rs.getLong(10), rs.getLong(11));
    }

    /** The daily totals computed from the audit tables alone, for the whole range (no rollup). */
    List<FindingStats.Day> liveDaily(LocalDate from, LocalDate to, ZoneId zone, String stage) {
        String audits = "SELECT (created_at AT TIME ZONE ?)::date AS day, count(*), count(*) FILTER (WHERE decision = 'BLOCK'), "
                + "count(*) FILTER (WHERE decision = 'WARN'), count(*) FILTER (WHERE decision = 'PASS') "
                + "FROM audit_record WHERE created_at >= ? AND created_at < ?" + (stage == null ? "" : " AND stage = ?") + " GROUP BY 1";
        // findings of live rules only (a SHADOW rule's findings are counted by the rankings' shadowFindings)
        String findings = "WITH " + LATEST_DISPOSITION + ", f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, "
                + "f.exemption_id, f.line_ids, f.line_item_codes, f.line_amounts, f.shadow, (f.created_at AT TIME ZONE ?)::date AS day "
                + "FROM audit_finding f WHERE f.created_at >= ? AND f.created_at < ? AND NOT f.shadow"
                + (stage == null ? "" : " AND f.stage = ?") + "), m AS (" + money("true", false, "day") + ") "
                + "SELECT f.day, count(*), count(*) FILTER (WHERE d.disposition = 'OVERRIDDEN'), "
                + "coalesce((SELECT m.amount FROM m WHERE m.day = f.day), 0) FROM f LEFT JOIN d USING (finding_id) GROUP BY f.day";
        Map<LocalDate, DayAudits> auditsOf = byDay(db.list(audits, (c, ps) -> bindDays(ps, 1, zone, from, to, stage),
                rs -> Map.entry(rs.getObject(1, LocalDate.class), new DayAudits(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))));
        Map<LocalDate, DayFindings> findingsOf = byDay(db.list(findings, (c, ps) -> {
            ps.setObject(1, start(from, zone).minusDays(1));
            bindDays(ps, 2, zone, from, to, stage);
        }, rs -> Map.entry(rs.getObject(1, LocalDate.class), new DayFindings(rs.getLong(2), rs.getLong(3), rs.getBigDecimal(4)))));
        // every day of the range, zeros included, so a chart needs no gap filling
        List<FindingStats.Day> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            DayAudits a = auditsOf.getOrDefault(d, DayAudits.NONE);
            DayFindings f = findingsOf.getOrDefault(d, DayFindings.NONE);
            days.add(new FindingStats.Day(d, a.audits(), f.findings(), a.blocked(), a.warned(), a.passed(), f.overridden(), money(f.amountAtRisk())));
        }
        return days;
    }

    /** Rows keyed by day (each day once: the queries group by day). */
    private static <T> Map<LocalDate, T> byDay(List<Map.Entry<LocalDate, T>> rows) {
        return rows.stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
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

    // ---- the same figures with the rolled-up days read from the rollup (V75, StatsRollup)

    public List<FindingStats.Row> findings(LocalDate from, LocalDate to, ZoneId zone, GroupBy groupBy, String stage, SortBy sort,
                                           Shadow shadow, int limit, String tier, String category) {
        // the rollup has a row per rule, not per rule and department: filtered by the rules' tier or category, only a
        // ranking of rules can be read from it
        boolean fromRollup = groupBy == GroupBy.RULE || (tier == null && category == null);
        List<LocalDate> rolled = fromRollup ? rolledDays(from, to, zone) : List.of();
        if (rolled.isEmpty()) {
            return liveFindings(from, to, zone, groupBy, stage, sort, shadow, limit, tier, category);
        }
        List<Run> live = Run.missing(from, to, rolled);
        // the days computed here need only this shadow mode's distinct audits, money and names
        String sql = "WITH " + grouped(groupBy, live.size(), stage != null, tier, category, java.util.EnumSet.of(shadow))
                + ", u AS (SELECT " + ROLLUP_GROUP_COLUMNS + " FROM live UNION ALL SELECT " + ROLLUP_GROUP_COLUMNS
                + " FROM stats_rollup_group WHERE zone = ? AND dim = ? AND day = ANY(?)" + (stage == null ? "" : " AND stage = ?")
                + rulesOf(tier, category, "key") + ") "
                + "SELECT key AS group_key, " + latestName(shadow) + " AS name, "
                + "sum(" + counted(shadow, "audits") + ")::bigint AS audits, sum(" + counted(shadow, "findings") + ")::bigint AS findings, "
                + "sum(" + counted(shadow, "blocked") + ")::bigint AS blocked, sum(" + counted(shadow, "overridden") + ")::bigint AS overridden, "
                + "sum(" + counted(shadow, "self_pay") + ")::bigint AS self_pay, sum(" + counted(shadow, "modified") + ")::bigint AS modified, "
                + "sum(" + counted(shadow, "amount") + ") AS amount_at_risk, sum(" + counted(shadow, "exempted") + ")::bigint AS exempted, "
                + "sum(s_findings)::bigint AS shadow_findings, "
                + "(sum(" + counted(shadow, "overridden") + ")::bigint)::numeric / greatest(sum(" + counted(shadow, "findings") + ")::bigint, 1) "
                + "AS override_rate FROM u GROUP BY key" + (shadow == Shadow.ONLY ? " HAVING sum(s_findings) > 0" : "")
                + rankingOrder(sort);
        return db.list(sql, (conn, ps) -> {
            int i = bindGrouped(ps, 1, zone, live, stage, tier, category);
            ps.setString(i++, zone.getId());
            ps.setString(i++, groupBy.name());
            ps.setArray(i++, conn.createArrayOf("date", rolled.stream().map(LocalDate::toString).toArray()));
            ps.setInt(bindFilters(ps, i, stage, tier, category), limit);
        }, StatsStore::row);
    }

    public List<FindingStats.Day> daily(LocalDate from, LocalDate to, ZoneId zone, String stage) {
        String sql = "SELECT r.day, coalesce(sum(x.audits), 0), coalesce(sum(x.blocked), 0), coalesce(sum(x.warned), 0), "
                + "coalesce(sum(x.passed), 0), coalesce(sum(x.findings), 0), coalesce(sum(x.overridden), 0), sum(x.amount) "
                + "FROM stats_rollup r LEFT JOIN stats_rollup_daily x ON x.zone = r.zone AND x.day = r.day"
                + (stage == null ? "" : " AND x.stage = ?") + " WHERE r.zone = ? AND r.day BETWEEN ? AND ? AND " + VALID + " GROUP BY r.day";
        Map<LocalDate, FindingStats.Day> days = new TreeMap<>();
        for (FindingStats.Day day : db.list(sql, (c, ps) -> {
            int i = 1;
            if (stage != null) {
                ps.setString(i++, stage);
            }
            ps.setString(i++, zone.getId());
            ps.setObject(i++, from);
            ps.setObject(i, to);
        }, rs -> new FindingStats.Day(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(6), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(7), money(rs.getBigDecimal(8))))) {
            days.put(day.date(), day);
        }
        wakeIfMissing(from, to, zone, days.keySet());
        if (days.isEmpty()) {
            return liveDaily(from, to, zone, stage);
        }
        // each run of days without a valid rollup (usually just today) from the audit tables
        for (Run run : Run.missing(from, to, List.copyOf(days.keySet()))) {
            for (FindingStats.Day day : liveDaily(run.first(), run.end().minusDays(1), zone, stage)) {
                days.put(day.date(), day);
            }
        }
        return new ArrayList<>(days.values());
    }

    /**
     * A rollup is valid while every stale mark over its day (a disposition, a late record, a retention drop) was
     * committed before it was computed, i.e. is visible in the snapshot it was computed in. On stats_rollup r.
     */
    static final String VALID = "NOT EXISTS (SELECT 1 FROM stats_stale s WHERE s.at_from < r.day_end AND s.at_to >= r.day_start "
            + "AND NOT pg_visible_in_snapshot(s.txid, r.snap))";

    /** The days of the range with a valid rollup in this zone, in order. */
    private List<LocalDate> rolledDays(LocalDate from, LocalDate to, ZoneId zone) {
        List<LocalDate> days = db.list("SELECT r.day FROM stats_rollup r WHERE r.zone = ? AND r.day BETWEEN ? AND ? AND " + VALID
                + " ORDER BY r.day", (c, ps) -> {
                    ps.setString(1, zone.getId());
                    ps.setObject(2, from);
                    ps.setObject(3, to);
                }, rs -> rs.getObject(1, LocalDate.class));
        wakeIfMissing(from, to, zone, new java.util.HashSet<>(days));
        return days;
    }

    /** A closed day of the rollup's window without a valid rollup: the roller is asked to look now rather than at its next check. */
    private void wakeIfMissing(LocalDate from, LocalDate to, ZoneId zone, java.util.Set<LocalDate> rolled) {
        if (!rollup.rolls(zone)) {
            return;
        }
        LocalDate today = LocalDate.now(zone);
        LocalDate first = from.isBefore(rollup.firstDay(today)) ? rollup.firstDay(today) : from;
        LocalDate last = to.isBefore(today) ? to : today.minusDays(1);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (!rolled.contains(d)) {
                rollup.wake();
                return;
            }
        }
    }

    /** Consecutive days [first, end) computed from the audit tables in one range of created_at. */
    record Run(LocalDate first, LocalDate end) {

        /** Each run of consecutive days of [from, to] that are not in {@code rolled}, in order. */
        static List<Run> missing(LocalDate from, LocalDate to, List<LocalDate> rolled) {
            java.util.Set<LocalDate> set = new java.util.HashSet<>(rolled);
            List<Run> runs = new ArrayList<>();
            LocalDate runStart = null;
            for (LocalDate d = from; !d.isAfter(to.plusDays(1)); d = d.plusDays(1)) {
                boolean live = !d.isAfter(to) && !set.contains(d);
                if (live && runStart == null) {
                    runStart = d;
                } else if (!live && runStart != null) {
                    runs.add(new Run(runStart, d));
                    runStart = null;
                }
            }
            return runs;
        }
    }

    /** The columns of a stats_rollup_group row after (zone, dim), as {@link #grouped} names them too. */
    static final String ROLLUP_GROUP_COLUMNS = "day, stage, key, name, name_at, sname, sname_at, audits, findings, blocked, overridden, "
            + "self_pay, modified, exempted, amount, s_audits, s_findings, s_blocked, s_overridden, s_self_pay, s_modified, s_exempted, "
            + "s_amount, a_audits, a_amount";

    /** A rollup column as a ranking with this shadow mode counts it (see V75: no prefix live rules, s_ SHADOW, a_ both). */
    private static String counted(Shadow shadow, String column) {
        return switch (shadow) {
            case EXCLUDE -> column;
            case ONLY -> "s_" + column;
            case INCLUDE -> column.equals("audits") || column.equals("amount") ? "a_" + column : column + " + s_" + column;
        };
    }

    /** The latest name over the days and stages of the range, as the live query's latest name over its findings. */
    private static String latestName(Shadow shadow) {
        String name = shadow == Shadow.ONLY ? "sname" : "name";
        return "(array_agg(" + name + " ORDER BY " + name + "_at DESC) FILTER (WHERE " + name + " IS NOT NULL))[1]";
    }

    /**
     * Rules are filed under a tier and a category in the catalog (catalog_rule), not in each finding: a filter keeps the
     * findings (or rollup rows) whose rule code in {@code column} any published version files under them (a small table,
     * read as one hashed subplan). A code keeps its national tier and category across versions, so this is what the
     * finding's own version says. Parameters: see {@link #bindFilters}.
     */
    private static String rulesOf(String tier, String category, String column) {
        return (tier == null ? "" : " AND " + column + " IN (SELECT code FROM catalog_rule WHERE version > 0 AND tier = ?)")
                + (category == null ? "" : " AND " + column + " IN (SELECT code FROM catalog_rule WHERE version > 0 "
                        + "AND body->>'category' = ?)");
    }

    /** Binds the filters from {@code i} on (stage, tier, category, each only if given); the next parameter's index. */
    private static int bindFilters(PreparedStatement ps, int i, String stage, String tier, String category) throws SQLException {
        for (String filter : new String[] {stage, tier, category}) {
            if (filter != null) {
                ps.setString(i++, filter);
            }
        }
        return i;
    }

    /**
     * CTEs ending in {@code live}: the ranking's figures per day, stage and key over {@code intervals} ranges of
     * created_at, for the ways of counting SHADOW findings in {@code modes} (a rollup: all three at once), in the columns
     * of stats_rollup_group; the distinct audits, money and names of the other modes are left 0 / null. The
     * same rules as {@link #liveFindings}: latest disposition per finding, each flagged line once per key and audit,
     * INFO and exempted findings put nothing at risk. Parameters: see {@link #bindGrouped}. Keys are grouped and joined
     * as (coalesce(key, ''), key IS NULL), which a merge or hash join can use, where the live query's IS NOT DISTINCT FROM
     * cannot (it compared every doctor with every doctor).
     */
    static String grouped(GroupBy groupBy, int intervals, boolean stage, String tier, String category, java.util.Set<Shadow> modes) {
        String name = groupBy.name;
        StringBuilder ranges = new StringBuilder();
        for (int i = 0; i < intervals; i++) {
            ranges.append(i == 0 ? "" : " OR ").append("(f.created_at >= ? AND f.created_at < ?)");
        }
        boolean byItem = groupBy == GroupBy.ITEM;
        // what sorts (distinct audits, money, the latest name) only for the shadow modes asked for; the plain counts always
        boolean live = modes.contains(Shadow.EXCLUDE);
        boolean only = modes.contains(Shadow.ONLY);
        boolean all = modes.contains(Shadow.INCLUDE);
        boolean named = live || all;
        StringBuilder money = new StringBuilder();
        StringBuilder joins = new StringBuilder();
        for (String[] m : new String[][] {{"ml", "NOT shadow", live ? "y" : null}, {"ms", "shadow", only ? "y" : null},
                {"ma", "true", all ? "y" : null}}) {
            if (m[2] != null) {
                money.append(m[0]).append(" AS (").append(money(m[1], byItem, "day", "stage", "kk", "knull")).append("), ");
                joins.append(" LEFT JOIN ").append(m[0]).append(" ON ").append(m[0]).append(".day = g.day AND ").append(m[0])
                        .append(".stage = g.stage AND ").append(m[0]).append(".kk = g.kk AND ").append(m[0]).append(".knull = g.knull");
            }
        }
        return LATEST_DISPOSITION + ", f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, f.created_at, "
                + "f.shadow, f.exemption_id, f.line_ids, f.line_item_codes, f.line_amounts, (f.created_at AT TIME ZONE ?)::date AS day, "
                + "f.stage, " + groupBy.column + " AS group_key, coalesce(" + groupBy.column + ", '') AS kk, " + groupBy.column
                + " IS NULL AS knull, " + name + " AS name "
                + "FROM audit_finding f " + (byItem ? "CROSS JOIN LATERAL unnest(f.item_codes) AS item(code) " : "")
                + "WHERE (" + (intervals == 0 ? "false" : ranges) + ")" + (stage ? " AND f.stage = ?" : "")
                + rulesOf(tier, category, "f.rule_code") + "), "
                + money
                + "g AS (SELECT day, stage, CASE WHEN knull THEN NULL ELSE kk END AS group_key, kk, knull, "
                + (named ? "(array_agg(name ORDER BY created_at DESC) FILTER (WHERE name IS NOT NULL))[1] AS name, "
                        + "max(created_at) FILTER (WHERE name IS NOT NULL) AS name_at, "
                        : "NULL::text AS name, NULL::timestamptz AS name_at, ")
                + (only ? "(array_agg(name ORDER BY created_at DESC) FILTER (WHERE name IS NOT NULL AND shadow))[1] AS sname, "
                        + "max(created_at) FILTER (WHERE name IS NOT NULL AND shadow) AS sname_at, "
                        : "NULL::text AS sname, NULL::timestamptz AS sname_at, ")
                + counts("NOT shadow", "", live) + ", " + counts("shadow", "s_", only) + ", "
                + (all ? "count(DISTINCT audit_id)" : "0::bigint") + " AS a_audits "
                + "FROM f LEFT JOIN d USING (finding_id) GROUP BY day, stage, kk, knull), "
                + "live AS (SELECT g.day, g.stage, g.group_key AS key, g.name, g.name_at, g.sname, g.sname_at, g.audits, g.findings, "
                + "g.blocked, g.overridden, g.self_pay, g.modified, g.exempted, " + (live ? "coalesce(ml.amount, 0)" : "0::numeric")
                + " AS amount, g.s_audits, g.s_findings, g.s_blocked, g.s_overridden, g.s_self_pay, g.s_modified, g.s_exempted, "
                + (only ? "coalesce(ms.amount, 0)" : "0::numeric") + " AS s_amount, g.a_audits, "
                + (all ? "coalesce(ma.amount, 0)" : "0::numeric") + " AS a_amount FROM g" + joins + ")";
    }

    /** Binds {@link #grouped}'s parameters from {@code i}: disposition window, zone, the runs' ranges, stage, tier, category. */
    static int bindGrouped(PreparedStatement ps, int i, ZoneId zone, List<Run> runs, String stage, String tier,
                           String category) throws SQLException {
        // dispositions made since a day before the first range began (see LATEST_DISPOSITION)
        ps.setObject(i++, runs.isEmpty() ? OffsetDateTime.now() : start(runs.get(0).first(), zone).minusDays(1));
        ps.setString(i++, zone.getId());
        for (Run run : runs) {
            ps.setObject(i++, start(run.first(), zone));
            ps.setObject(i++, start(run.end(), zone));
        }
        return bindFilters(ps, i, stage, tier, category);
    }

    /** A ranking's counts of the findings that {@code counted} keeps, as {@code prefix}audits, … (distinct audits only if asked). */
    private static String counts(String counted, String prefix, boolean audits) {
        return (audits ? "count(DISTINCT audit_id) FILTER (WHERE " + counted + ")" : "0::bigint") + " AS " + prefix + "audits, "
                + "count(*) FILTER (WHERE " + counted + ") AS " + prefix + "findings, "
                + "count(*) FILTER (WHERE " + counted + " AND action = 'BLOCK') AS " + prefix + "blocked, "
                + "count(*) FILTER (WHERE " + counted + " AND d.disposition = 'OVERRIDDEN') AS " + prefix + "overridden, "
                + "count(*) FILTER (WHERE " + counted + " AND d.disposition = 'SELF_PAY') AS " + prefix + "self_pay, "
                + "count(*) FILTER (WHERE " + counted + " AND d.disposition = 'MODIFIED') AS " + prefix + "modified, "
                + "count(*) FILTER (WHERE " + counted + " AND exemption_id IS NOT NULL) AS " + prefix + "exempted";
    }

    /**
     * The daily figures per day and stage over one range of created_at, in the columns of stats_rollup_daily after zone.
     * Parameters: disposition window, zone, start, end (audits), zone, start, end (findings).
     */
    static final String DAILY_BY_STAGE = "WITH " + LATEST_DISPOSITION + ", "
            + "a AS (SELECT (created_at AT TIME ZONE ?)::date AS day, stage, count(*) AS audits, count(*) FILTER (WHERE decision = 'BLOCK') AS blocked, "
            + "count(*) FILTER (WHERE decision = 'WARN') AS warned, count(*) FILTER (WHERE decision = 'PASS') AS passed "
            + "FROM audit_record WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2), "
            // findings of live rules only, as the live daily query counts them
            + "f AS (SELECT f.finding_id, f.audit_id, f.action, f.amount_at_risk, f.exemption_id, f.line_ids, f.line_item_codes, "
            + "f.line_amounts, f.shadow, (f.created_at AT TIME ZONE ?)::date AS day, f.stage FROM audit_finding f "
            + "WHERE f.created_at >= ? AND f.created_at < ? AND NOT f.shadow), "
            + "m AS (" + money("true", false, "day", "stage") + "), "
            + "x AS (SELECT f.day, f.stage, count(*) AS findings, count(*) FILTER (WHERE d.disposition = 'OVERRIDDEN') AS overridden "
            + "FROM f LEFT JOIN d USING (finding_id) GROUP BY f.day, f.stage) "
            + "SELECT day, stage, coalesce(a.audits, 0), coalesce(a.blocked, 0), coalesce(a.warned, 0), coalesce(a.passed, 0), "
            + "coalesce(x.findings, 0), coalesce(x.overridden, 0), coalesce(m.amount, 0) "
            + "FROM a FULL JOIN x USING (day, stage) LEFT JOIN m USING (day, stage)";

    static OffsetDateTime start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0.0 : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }

    private static BigDecimal money(BigDecimal d) {
        return d == null ? BigDecimal.ZERO.setScale(2) : d.setScale(2, RoundingMode.HALF_UP);
    }
}
