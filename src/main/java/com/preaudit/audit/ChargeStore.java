package com.preaudit.audit;

import com.preaudit.engine.model.Line;
import com.preaudit.platform.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Posted charge lines (stored history) in {@code charge_line}, with plain JDBC: posting is a bulk
 * path (an inpatient day can post hundreds of lines) and the history lookup is on every audit.
 */
@ApplicationScoped
public class ChargeStore {

    private static final String COLUMNS = "line_id, item_code, item_name, item_type, quantity, unit_price, list_price, amount, "
            + "ordered_at, days, department_code, doctor_id, prescription_no, group_no, discharge_medication, self_pay, encounter_id";

    private final AgroalDataSource ds;
    private final Jdbc db;

    public ChargeStore(AgroalDataSource ds) {
        this.ds = ds;
        this.db = new Jdbc(ds, "the charge store");
    }

    public record Counts(int recorded, int alreadyRecorded) { }

    /**
     * The columns a posted line is written to, in the order of {@link #RECORD_SQL}'s arrays: one text array per
     * column travels in a single statement whatever the number of lines, and PostgreSQL casts each back.
     */
    private enum Column {
        LINE_ID("", (l, enc, at) -> l.id()),
        ENCOUNTER_ID("", (l, enc, at) -> l.encounterId() != null ? l.encounterId() : enc),
        ITEM_CODE("", (l, enc, at) -> l.itemCode()),
        ITEM_NAME("", (l, enc, at) -> l.itemName()),
        ITEM_TYPE("", (l, enc, at) -> l.itemType()),
        QUANTITY("::numeric", (l, enc, at) -> plain(l.quantity())),
        UNIT_PRICE("::numeric", (l, enc, at) -> plain(l.unitPrice())),
        LIST_PRICE("::numeric", (l, enc, at) -> plain(l.listPrice())),
        AMOUNT("::numeric", (l, enc, at) -> plain(l.amount())),
        // a line with no time is dated when it was posted, not "whenever the next audit runs"
        ORDERED_AT("::timestamp", (l, enc, at) -> (l.orderedAt() != null ? l.orderedAt() : at).toString()),
        DAYS("::integer", (l, enc, at) -> l.days() == null ? null : l.days().toString()),
        DEPARTMENT_CODE("", (l, enc, at) -> l.departmentCode()),
        DOCTOR_ID("", (l, enc, at) -> l.doctorId()),
        PRESCRIPTION_NO("", (l, enc, at) -> l.prescriptionNo()),
        GROUP_NO("", (l, enc, at) -> l.groupNo()),
        DISCHARGE_MEDICATION("::boolean", (l, enc, at) -> l.dischargeMedication() == null ? null : l.dischargeMedication().toString()),
        SELF_PAY("::boolean", (l, enc, at) -> l.selfPay() == null ? null : l.selfPay().toString());

        interface Value {
            String of(AuditRequest.LineDto line, String encounterId, LocalDateTime postedAt);
        }

        final String name = name().toLowerCase(java.util.Locale.ROOT);
        final String cast;
        final Value value;

        Column(String cast, Value value) {
            this.cast = cast;
            this.value = value;
        }
    }

    private static final String RECORD_SQL = recordSql();

    private static String recordSql() {
        java.util.StringJoiner names = new java.util.StringJoiner(", ");
        java.util.StringJoiner selected = new java.util.StringJoiner(", ");
        java.util.StringJoiner arrays = new java.util.StringJoiner(", ");
        for (Column col : Column.values()) {
            names.add(col.name);
            selected.add("u." + col.name + col.cast);
            arrays.add("?::text[]");
        }
        return "INSERT INTO charge_line(patient_id, " + names + ") SELECT ?, " + selected + " FROM unnest(" + arrays + ") AS u("
                + names + ") ON CONFLICT (patient_id, line_id) DO NOTHING RETURNING line_id";
    }

    /** A stored line as the charge API shows it (refunds included). */
    public record StoredCharge(String lineId, String encounterId, String itemCode, String itemName, String itemType,
                               BigDecimal quantity, BigDecimal amount, LocalDateTime orderedAt,
                               OffsetDateTime recordedAt, boolean refunded, OffsetDateTime refundedAt) { }

    /**
     * Inserts the lines not stored yet, in one statement and one transaction, committed before it
     * returns. A line already stored (same patient and line id) is left exactly as it was, refund
     * included: posting is idempotent, so a HIS that retries after a timeout never double-charges.
     */
    public Counts record(String patientId, String encounterId, List<AuditRequest.LineDto> lines) {
        int n = lines.size();
        Column[] columns = Column.values();
        String[][] values = new String[columns.length][n];
        LocalDateTime postedAt = LocalDateTime.now();
        for (int i = 0; i < n; i++) {
            for (Column col : columns) {
                values[col.ordinal()][i] = col.value.of(lines.get(i), encounterId, postedAt);
            }
        }
        String sql = RECORD_SQL;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, patientId);
                for (Column col : Column.values()) {
                    Array a = c.createArrayOf("text", values[col.ordinal()]);
                    ps.setArray(col.ordinal() + 2, a);
                }
                int inserted = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted++;
                    }
                }
                c.commit();
                return new Counts(inserted, n - inserted);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw db.failed(e);
        }
    }

    /** Flags the line as refunded (退费); false when the patient has no such line. Refunding twice is harmless. */
    public boolean refund(String patientId, String lineId) {
        return db.update("UPDATE charge_line SET refunded = true, refunded_at = coalesce(refunded_at, now()) WHERE patient_id = ? AND line_id = ?",
                (c, ps) -> {
                    ps.setString(1, patientId);
                    ps.setString(2, lineId);
                }) > 0;
    }

    /** The patient's stored lines in a date range (refunded ones included, flagged), oldest first. */
    public List<StoredCharge> list(String patientId, LocalDate from, LocalDate to, int limit) {
        return db.list("SELECT line_id, encounter_id, item_code, item_name, item_type, quantity, amount, ordered_at, recorded_at, refunded, "
                + "refunded_at FROM charge_line WHERE patient_id = ? AND ordered_at >= ? AND ordered_at < ? ORDER BY ordered_at, line_id LIMIT ?",
                (c, ps) -> {
                    ps.setString(1, patientId);
                    ps.setObject(2, from.atStartOfDay());
                    ps.setObject(3, to.plusDays(1).atStartOfDay());
                    ps.setInt(4, limit);
                }, rs -> new StoredCharge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        quantity(rs.getBigDecimal(6)), rs.getBigDecimal(7), rs.getObject(8, LocalDateTime.class),
                        rs.getObject(9, OffsetDateTime.class), rs.getBoolean(10), rs.getObject(11, OffsetDateTime.class)));
    }

    /**
     * A stored line with the times it was recorded and refunded (null while it stands), so that the history as it
     * stood at any earlier moment can be told: recorded by then and not refunded by then.
     */
    public record DatedLine(Line line, OffsetDateTime recordedAt, OffsetDateTime refundedAt) {
        public boolean liveAt(OffsetDateTime at) {
            return !recordedAt.isAfter(at) && (refundedAt == null || refundedAt.isAfter(at));
        }
    }

    /**
     * Every line of these patients recorded up to {@code until}, refunded ones included (with their refund time),
     * per patient newest first in the order of {@link #history}. One statement for a page of replayed audits
     * instead of one per audit; read on the caller's connection.
     */
    public static java.util.Map<String, List<DatedLine>> linesRecordedBy(Connection c, java.util.Collection<String> patients,
                                                                         OffsetDateTime until) throws SQLException {
        java.util.Map<String, List<DatedLine>> out = new java.util.HashMap<>();
        if (patients.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", patient_id, recorded_at, refunded, refunded_at "
                + "FROM charge_line WHERE patient_id = ANY(?) AND recorded_at <= ? ORDER BY patient_id, ordered_at DESC, line_id")) {
            ps.setArray(1, c.createArrayOf("text", patients.toArray(String[]::new)));
            ps.setObject(2, until);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime recorded = rs.getObject(19, OffsetDateTime.class);
                    OffsetDateTime refunded = rs.getObject(21, OffsetDateTime.class);
                    if (refunded == null && rs.getBoolean(20)) {
                        refunded = recorded;    // refunded at an unknown time: never counted
                    }
                    out.computeIfAbsent(rs.getString(18), p -> new ArrayList<>()).add(new DatedLine(line(rs, 1), recorded, refunded));
                }
            }
        }
        return out;
    }

    /** What a history lookup reads: one patient, bounded in time and by item code, all through partial indexes. */
    public record HistoryQuery(String patientId, String encounterId, LocalDateTime windowStart, LocalDateTime windowEnd,
                               Set<String> codePrefixes, Set<LocalDate> days, int limit, int timeoutSeconds) { }

    /** Stored history and, when {@code requestId} is given, the answer already sent for it (or null). */
    public record Lookup(List<Line> lines, String previousAnswer, List<ActiveExemption> exemptions) {

        public Lookup(List<Line> lines, String previousAnswer) {
            this(lines, previousAnswer, List.of());
        }

        Lookup with(List<ActiveExemption> exemptions) {
            return new Lookup(lines, previousAnswer, exemptions);
        }
    }

    /**
     * A connection for a read on the audit path. The statement's query timeout asks the server to cancel, which a server
     * that does not answer at all (frozen, or behind a network that drops packets) never does: the read would wait for
     * ever and hold the audit with it. The socket's own timeout, one second beyond the query's, ends it from this side
     * (pgjdbc then closes the connection; the pool puts the timeout back when it takes the connection back).
     */
    private Connection auditPathConnection(int timeoutSeconds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setNetworkTimeout(Runnable::run, (timeoutSeconds + 1) * 1000);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Live (not refunded) lines of the patient that an audit of these lines can need: the same items
     * (by code prefix) in the look-back window — frequency, course, interval and repeat rules; every
     * line on the audited days — duplicate-charge pairs, companions, surgery groups; and every line
     * of the current encounter — encounter totals and shares. Each branch is an index range scan.
     * With {@code requestId}, the same statement also reads the answer given to it since
     * {@code answeredSince} (idempotency): every audit needs both, and one round trip instead of two
     * is a pool checkout, a query and two context switches less per audit.
     */
    public Lookup history(HistoryQuery q, String requestId, OffsetDateTime answeredSince) throws SQLException {
        Sql sql = historySql(q);
        if (sql == null) {
            return new Lookup(List.of(), requestId == null ? null : previousAnswer(requestId, answeredSince, q.timeoutSeconds()));
        }
        String text;
        List<Object> params = new ArrayList<>();
        if (requestId == null) {
            text = sql.text();
        } else {
            params.add(requestId);
            params.add(answeredSince);
            text = PREVIOUS_SQL + "SELECT " + NULLS + "answer FROM prev UNION ALL SELECT h.*, NULL FROM (" + sql.text() + ") h";
        }
        params.addAll(sql.params());
        List<Line> out = new ArrayList<>();
        String previous = null;
        try (Connection c = auditPathConnection(q.timeoutSeconds());
             PreparedStatement ps = c.prepareStatement(text)) {
            ps.setQueryTimeout(q.timeoutSeconds());
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (requestId != null && rs.getString(18) != null) {
                        previous = rs.getString(18);
                        continue;
                    }
                    out.add(line(rs, 1));
                }
            }
        }
        return new Lookup(out, previous);
    }

    /**
     * The answer given to {@code requestId} since {@code since}, read alone (no history to read with it), or null:
     * for an audit with nothing to look up, and for a replay while the history lookup rests.
     */
    public String previousAnswer(String requestId, OffsetDateTime since, int timeoutSeconds) throws SQLException {
        try (Connection c = auditPathConnection(timeoutSeconds);
             PreparedStatement ps = c.prepareStatement(PREVIOUS_ANSWER)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, requestId);
            ps.setObject(2, since);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The 17 {@link #COLUMNS} of a row, from column {@code first} on. */
    private static Line line(ResultSet rs, int first) throws SQLException {
        int i = first - 1;
        return new Line(rs.getString(i + 1), rs.getString(i + 2), rs.getString(i + 3), rs.getString(i + 4), quantity(rs.getBigDecimal(i + 5)),
                rs.getBigDecimal(i + 6), rs.getBigDecimal(i + 7), rs.getBigDecimal(i + 8), rs.getObject(i + 9, LocalDateTime.class),
                (Integer) rs.getObject(i + 10), rs.getString(i + 11), rs.getString(i + 12), rs.getString(i + 13), rs.getString(i + 14),
                (Boolean) rs.getObject(i + 15), (Boolean) rs.getObject(i + 16), rs.getString(i + 17));
    }

    /**
     * What {@link #check} found: the patient's history version, the answer already given to the
     * requestId (or null), and — only when the version differs from the one the caller holds — the
     * patient's live lines, newest first ({@code complete} false when there are more than asked for:
     * then they are only the newest, and no copy of the patient can be made from them).
     */
    public record Check(long version, String previousAnswer, List<Line> lines, boolean complete, List<ActiveExemption> exemptions) { }

    /** An exemption valid on the audit's day, as the audit needs it (see {@link Exemption}). */
    public record ActiveExemption(String id, String ruleCode, String itemCode, String approvalNo, LocalDate validTo) {

        /** Whether it covers a finding of {@code ruleCode} on these items: the same rule, and the item among them when it names one. */
        boolean covers(String findingRule, List<String> itemCodes) {
            return ruleCode.equals(findingRule) && (itemCode == null || itemCodes.contains(itemCode));
        }
    }

    /**
     * One round trip per audit for a node that keeps patients' lines in memory: reads the patient's
     * version from {@code charge_version} (V6: bumped by a trigger with every change of the
     * patient's lines) and the requestId's earlier answer; only when the version is not
     * {@code knownVersion} does it also read the patient's live lines (at most {@code maxLines} + 1,
     * so the caller can tell a complete copy from a cut one). Version and lines come from one
     * statement, hence one snapshot: the lines are exactly those of that version. The lines are
     * ordered as {@link #history} orders them, so any subset of them is in the same order too.
     */
    public Check check(String patientId, long knownVersion, String requestId, OffsetDateTime answeredSince, int maxLines,
                       int timeoutSeconds) throws SQLException {
        List<Line> lines = null;
        long version = 0;
        String previous = null;
        List<ActiveExemption> exemptions = List.of();
        try (Connection c = auditPathConnection(timeoutSeconds);
             PreparedStatement ps = c.prepareStatement(CHECK_SQL)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, patientId);
            ps.setString(2, requestId);
            ps.setObject(3, answeredSince != null ? answeredSince : OffsetDateTime.now());
            ps.setString(4, patientId);
            ps.setObject(5, LocalDate.now());
            ps.setString(6, patientId);
            ps.setLong(7, knownVersion);
            ps.setInt(8, maxLines + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) {
                        version = v;
                        previous = rs.getString(2);
                        exemptions = exemptions(rs.getArray(3));
                    } else {
                        if (lines == null) {
                            lines = new ArrayList<>();
                        }
                        lines.add(line(rs, 4));
                    }
                }
            }
        }
        if (lines == null && version != knownVersion) {
            lines = new ArrayList<>(0);     // the version moved on and the patient has no live line left
        }
        return new Check(version, previous, lines, lines == null || lines.size() <= maxLines, exemptions);
    }

    /**
     * The patient's exemptions valid on {@code day}, read alone: for a node that keeps no copies of patients' lines
     * (the default node reads them in {@link #check}'s statement).
     */
    public List<ActiveExemption> exemptions(String patientId, LocalDate day, int timeoutSeconds) throws SQLException {
        try (Connection c = auditPathConnection(timeoutSeconds);
             PreparedStatement ps = c.prepareStatement("SELECT " + ACTIVE_EXEMPTIONS)) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, patientId);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? exemptions(rs.getArray(1)) : List.of();
            }
        }
    }

    private static List<ActiveExemption> exemptions(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] rows = (Object[]) array.getArray();
        if (rows.length == 0) {
            return List.of();
        }
        List<ActiveExemption> out = new ArrayList<>(rows.length);
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new ActiveExemption((String) r[0], (String) r[1], (String) r[2], (String) r[3], LocalDate.parse((String) r[4])));
        }
        return out;
    }

    // The patient's exemptions valid on a day, as one two-dimensional text array (usually empty): one probe of
    // exemption_patient_live, in the audit's statement, so a grant or revoke through any node counts in the next audit.
    private static final String ACTIVE_EXEMPTIONS = "ARRAY(SELECT ARRAY[id::text, rule_code, item_code, approval_no, valid_to::text] "
            + "FROM exemption WHERE patient_id = ? AND revoked_at IS NULL AND ?::date BETWEEN valid_from AND valid_to ORDER BY granted_at)";

    // the answer given to a requestId since a time (idempotency): one index probe on audit_record_request_id
    private static final String PREVIOUS_ANSWER = "SELECT response::text AS answer FROM audit_record "
            + "WHERE request_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1";

    // The version row (with the requestId's answer and the patient's exemptions), then (only if the version is not
    // the caller's) the lines. The subquery on v in
    // the second branch is an InitPlan, i.e. a one-time filter: with the version unchanged the
    // charge_line scan never starts. A patient without any row has version 0.
    static final String CHECK_SQL = "WITH v AS MATERIALIZED (SELECT coalesce((SELECT version FROM charge_version "
            + "WHERE patient_id = ?), 0) AS version) "
            + "SELECT v.version, (" + PREVIOUS_ANSWER + "), " + ACTIVE_EXEMPTIONS + ", " + "NULL, ".repeat(16) + "NULL FROM v "
            + "UNION ALL (SELECT NULL, NULL, NULL, " + COLUMNS + " FROM charge_line WHERE patient_id = ? AND NOT refunded "
            + "AND (SELECT version FROM v) <> ? ORDER BY ordered_at DESC, line_id LIMIT ?)";

    private static final String PREVIOUS_SQL = "WITH prev AS (" + PREVIOUS_ANSWER + ") ";
    // the answer row has no line: 17 empty line columns (typed by the UNION's other branch), then the answer
    private static final String NULLS = "NULL, ".repeat(17);

    /** A statement and its parameters (visible to the test that checks the plan uses the indexes). */
    record Sql(String text, List<Object> params) { }

    /**
     * The history statement of {@link #history}, or null when there is nothing to look for. Its text
     * is the same for every audit (the prefixes and days travel as arrays), so each pooled connection
     * parses and plans it once and then executes the prepared statement; a text built per request
     * would be parsed and planned by PostgreSQL on every audit.
     */
    static Sql historySql(HistoryQuery q) {
        if (q.codePrefixes().isEmpty() && q.days().isEmpty() && q.encounterId() == null) {
            return null;
        }
        String[] lows = q.codePrefixes().toArray(String[]::new);
        String[] highs = new String[lows.length];
        for (int i = 0; i < lows.length; i++) {
            highs[i] = upperBound(lows[i]);
        }
        String[] days = q.days().stream().map(LocalDate::toString).toArray(String[]::new);
        List<Object> params = new ArrayList<>(List.of(lows, highs, q.patientId(), q.windowStart(), q.windowEnd(),
                days, q.patientId(), q.patientId()));
        params.add(q.encounterId() == null ? "" : q.encounterId());
        params.add(q.encounterId() != null);
        for (int i = 0; i < 2; i++) {
            params.add(q.patientId());
            params.add(q.windowStart());
            params.add(q.windowEnd());
        }
        params.add(q.limit());
        return new Sql(HISTORY_SQL, params);
    }

    // ∪ the first and the last line of every encounter in the look-back window: what the encounter-level rules
    // (分解住院, 频繁门诊/住院, issue 19) need to see the patient's other visits and stays, whatever was charged in them.
    // Two lines per encounter keep the answer small; each branch is one range scan of (patient, ordered_at).
    private static final String ENCOUNTER_ENDS = "UNION (SELECT DISTINCT ON (encounter_id) " + COLUMNS + " FROM charge_line "
            + "WHERE patient_id = ? AND NOT refunded AND encounter_id IS NOT NULL AND ordered_at >= ? AND ordered_at < ? "
            + "ORDER BY encounter_id, ordered_at DESC, line_id) "
            + "UNION (SELECT DISTINCT ON (encounter_id) " + COLUMNS + " FROM charge_line "
            + "WHERE patient_id = ? AND NOT refunded AND encounter_id IS NOT NULL AND ordered_at >= ? AND ordered_at < ? "
            + "ORDER BY encounter_id, ordered_at, line_id DESC) ";

    // same codes (by prefix range) in the look-back window ∪ anything on the audited days ∪ the encounter
    // OFFSET 0 keeps each LATERAL branch a per-prefix / per-day index range scan: PostgreSQL would
    // otherwise flatten it and, planning once for any arrays, read every line of the patient. The
    // window test of the prefix branch is written "IS TRUE" so that it is a filter, not an index
    // condition: with it indexable, the generic plan ranged over (patient, time) and re-read all of
    // the patient's lines once per prefix; now each prefix is a range of (patient, item_code).
    private static final String HISTORY_SQL = "SELECT h.* FROM unnest(?::text[], ?::text[]) AS p(lo, hi) CROSS JOIN LATERAL (SELECT "
            + COLUMNS + " FROM charge_line WHERE patient_id = ? AND NOT refunded AND item_code >= p.lo AND item_code < p.hi "
            + "AND (ordered_at >= ? AND ordered_at < ?) IS TRUE OFFSET 0) h "
            + "UNION SELECT h.* FROM unnest(?::text[]::date[]) AS d(day) CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM charge_line "
            + "WHERE patient_id = ? AND NOT refunded AND ordered_at >= d.day AND ordered_at < d.day + 1 OFFSET 0) h "
            + "UNION SELECT " + COLUMNS + " FROM charge_line WHERE patient_id = ? AND NOT refunded AND encounter_id = ? AND ? "
            + ENCOUNTER_ENDS
            + "ORDER BY ordered_at DESC, line_id LIMIT ?";

    /** Smallest string above every string starting with {@code prefix} (byte order, the column's "C" collation). */
    static String upperBound(String prefix) {
        int last = prefix.codePointBefore(prefix.length());
        String head = prefix.substring(0, prefix.length() - Character.charCount(last));
        return head + new String(Character.toChars(last + 1));
    }

    /** Code prefixes of the audited lines, shortest first, with those covered by a shorter one dropped. */
    static Set<String> prefixes(List<String> codes, int length) {
        TreeSet<String> all = new TreeSet<>();
        for (String code : codes) {
            if (code != null && !code.isEmpty()) {
                all.add(length <= 0 || code.length() <= length ? code : code.substring(0, length));
            }
        }
        TreeSet<String> out = new TreeSet<>();
        for (String p : all) {
            String floor = out.floor(p);
            if (floor == null || !p.startsWith(floor)) {
                out.add(p);
            }
        }
        return out;
    }

    /** 1.0000 as stored comes back as 1: the quantity appears in messages a doctor reads. */
    static BigDecimal quantity(BigDecimal d) {
        if (d == null) {
            return null;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }
}
