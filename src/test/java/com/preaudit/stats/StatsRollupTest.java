package com.preaudit.stats;

import com.preaudit.support.Db;
import com.preaudit.audit.AuditRecord;
import com.preaudit.audit.AuditRecordWriter;
import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditResponse;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.ResultType;
import com.preaudit.support.AuditRows;
import com.preaudit.support.Await;
import com.preaudit.support.HistoryFixtures;
import com.preaudit.support.StoredAudits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daily rollup (StatsRollup, V75) gives the statistics API the answers the live computation gives, for every
 * grouping, shadow mode, stage, sort and filter, also after a disposition of a rolled-up day arrives late and after an
 * audit record of a rolled-up day (with an exempted finding) is written late. Audits of January 2022 (no other test's
 * fall in it), inserted through JDBC with dispositions, SHADOW and exempted findings, lines flagged by two rules, and
 * names that change from day to day.
 */
@QuarkusTest
class StatsRollupTest {

    static final LocalDate FIRST = LocalDate.of(2022, 1, 10);
    static final int DAYS = 5;
    // the range asked for has a day without audits at either end
    static final LocalDate FROM = FIRST.minusDays(1);
    static final LocalDate TO = FIRST.plusDays(DAYS);
    static final String POLICY = "GZ10000102012000";
    static final String MANAGEMENT = "GZ10000204006000";
    static final String MEDICAL = "GZ10000301004000";
    static final String[] RULES = {POLICY, MANAGEMENT, MEDICAL, "R-LOCAL"};
    static final String[] ACTIONS = {"BLOCK", "WARN", "BLOCK", "INFO"};

    @Inject
    StatsStore store;

    @Inject
    StatsRollup rollup;

    @Inject
    AuditRecordWriter writer;

    @Inject
    AgroalDataSource ds;

    record Stored(UUID auditId, UUID findingId, LocalDate day, String rule) { }

    /** Inserts the audits of January 2022; returns one undisposed finding of a live rule per day. */
    private List<Stored> store(ZoneId zone) throws Exception {
        Random rnd = new Random(7);
        List<Stored> undisposed = new ArrayList<>();
        try (AuditRows rows = new AuditRows(ds)) {
            for (int day = 0; day < DAYS; day++) {
                LocalDate date = FIRST.plusDays(day);
                boolean undisposedKept = false;
                for (int a = 0; a < 60; a++) {
                    UUID auditId = UUID.randomUUID();
                    OffsetDateTime at = date.atTime(0, 0).plusMinutes(rnd.nextInt(24 * 60)).atZone(zone).toOffsetDateTime();
                    Timestamp ts = Timestamp.from(at.toInstant());
                    String stage = rnd.nextInt(3) == 0 ? "PRE_CHARGE" : "PRE_ORDER";
                    int doc = rnd.nextInt(6);
                    // one doctor without a department; names change with the day, some audits name nobody
                    String dept = doc == 5 ? null : "DEPT-" + (doc % 3);
                    String doctor = "DOC-" + doc;
                    String deptName = rnd.nextInt(4) == 0 ? null : "科室" + doc % 3 + "-" + day;
                    String doctorName = rnd.nextInt(4) == 0 ? null : "医生" + doc + "-" + day;
                    String[] lineIds = {"l1", "l2", "l3"};
                    String[] codes = {"ITEM-" + rnd.nextInt(5), "ITEM-" + rnd.nextInt(5), "ITEM-" + rnd.nextInt(5)};
                    BigDecimal[] amounts = {BigDecimal.valueOf(100 + rnd.nextInt(9000), 2), BigDecimal.valueOf(100 + rnd.nextInt(9000), 2),
                            BigDecimal.valueOf(100 + rnd.nextInt(9000), 2)};
                    int n = rnd.nextInt(4);
                    String decision = n == 0 ? "PASS" : "WARN";
                    for (int k = 0; k < n; k++) {
                        int r = rnd.nextInt(RULES.length);
                        boolean shadow = rnd.nextInt(6) == 0;
                        boolean exempted = !shadow && rnd.nextInt(8) == 0;
                        String action = shadow ? "SHADOW" : exempted ? "INFO" : ACTIONS[r];
                        decision = "BLOCK".equals(action) ? "BLOCK" : decision;
                        // findings share lines (two rules on l1 put l1 at risk once); some have no lines (diagnosis level)
                        int first = rnd.nextInt(2);
                        int count = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(2);
                        UUID findingId = UUID.randomUUID();
                        AuditRows.Finding finding = rows.finding(findingId, auditId, ts, stage, RULES[r],
                                rnd.nextInt(5) == 0 ? null : "规则" + r + "-" + day, action).by(dept, doctor);
                        List<String> ids = new ArrayList<>();
                        List<String> lineCodes = new ArrayList<>();
                        List<String> names = new ArrayList<>();
                        List<BigDecimal> lineAmounts = new ArrayList<>();
                        for (int l = first; l < first + count; l++) {
                            ids.add(lineIds[l]);
                            lineCodes.add(codes[l]);
                            names.add(rnd.nextInt(3) == 0 ? null : "项目" + codes[l] + "-" + day);
                            lineAmounts.add(amounts[l]);
                        }
                        if (count == 0) {
                            finding.items(List.of(codes[0]), amounts[0]);
                        } else {
                            finding.items(lineCodes, lineAmounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                                    .lines(ids, lineCodes, names, lineAmounts);
                        }
                        finding.names(deptName, doctorName).shadow(shadow).exemption(exempted ? UUID.randomUUID() : null).add();
                        double u = rnd.nextDouble();
                        String disposition = u < 0.3 ? "OVERRIDDEN" : u < 0.45 ? "MODIFIED" : u < 0.55 ? "SELF_PAY" : null;
                        if (disposition != null) {
                            if (rnd.nextInt(5) == 0) {
                                // an earlier, different disposition: only the latest counts
                                rows.disposition(findingId, auditId, "OVERRIDDEN".equals(disposition) ? "MODIFIED" : "OVERRIDDEN", "临床必需",
                                        Timestamp.from(ts.toInstant().plusSeconds(60)));
                            }
                            rows.disposition(findingId, auditId, disposition, "临床必需", Timestamp.from(ts.toInstant().plusSeconds(600)));
                        } else if (!shadow && !exempted && !undisposedKept && !"R-LOCAL".equals(RULES[r])) {
                            undisposed.add(new Stored(auditId, findingId, date, RULES[r]));
                            undisposedKept = true;
                        }
                    }
                    rows.record(auditId, ts, stage, decision, "P-ROLL-" + a, dept, doctor);
                }
            }
            rows.commit();
        }
        return undisposed;
    }

    /** The days of [FROM, TO] whose rollup is valid. */
    private static long validDays(ZoneId zone) {
        return Db.number("SELECT count(*) FROM stats_rollup r WHERE r.zone = ? AND r.day BETWEEN ? AND ? AND " + StatsStore.VALID,
                zone.getId(), FROM, TO);
    }

    /** Every shape of request over two ranges: the answers through the rollup equal the live computation's. */
    private void assertSameAnswers(ZoneId zone, String when) {
        int compared = 0;
        for (LocalDate[] range : new LocalDate[][] {{FROM, TO}, {FIRST.plusDays(1), FIRST.plusDays(2)}}) {
            assertEquals(store.liveDaily(range[0], range[1], zone, null), store.daily(range[0], range[1], zone, null), when + ": daily");
            assertEquals(store.liveDaily(range[0], range[1], zone, "PRE_CHARGE"), store.daily(range[0], range[1], zone, "PRE_CHARGE"),
                    when + ": daily PRE_CHARGE");
            for (StatsStore.GroupBy groupBy : StatsStore.GroupBy.values()) {
                for (StatsStore.Shadow shadow : StatsStore.Shadow.values()) {
                    for (String stage : new String[] {null, "PRE_ORDER"}) {
                        // every row once, then the top 3 by each sort (ties broken alike)
                        for (StatsStore.SortBy sort : StatsStore.SortBy.values()) {
                            int limit = sort == StatsStore.SortBy.FINDINGS ? 1000 : 3;
                            String what = when + ": " + groupBy + " " + shadow + " " + stage + " " + sort + " " + limit + " " + range[0];
                            assertEquals(store.liveFindings(range[0], range[1], zone, groupBy, stage, sort, shadow, limit, null, null),
                                    store.findings(range[0], range[1], zone, groupBy, stage, sort, shadow, limit, null, null), what);
                            compared++;
                        }
                    }
                }
            }
            // a ranking of rules filtered by the catalog's tier or category is read from the rollup too
            assertEquals(store.liveFindings(range[0], range[1], zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS,
                            StatsStore.Shadow.EXCLUDE, 20, "MEDICAL", null),
                    store.findings(range[0], range[1], zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS,
                            StatsStore.Shadow.EXCLUDE, 20, "MEDICAL", null), when + ": tier");
            assertEquals(store.liveFindings(range[0], range[1], zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS,
                            StatsStore.Shadow.INCLUDE, 20, null, "行为主体监管类"),
                    store.findings(range[0], range[1], zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS,
                            StatsStore.Shadow.INCLUDE, 20, null, "行为主体监管类"), when + ": category");
        }
        assertTrue(compared >= 288);
    }

    private FindingStats.Row rule(ZoneId zone, String rule) {
        return store.findings(FROM, TO, zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS, StatsStore.Shadow.EXCLUDE,
                        100, null, null).stream().filter(r -> rule.equals(r.key())).findFirst().orElseThrow();
    }

    @Test
    void theRollupAnswersAsTheLiveComputationAlsoAfterALateDispositionAndALateExemptedRecord() throws Exception {
        ZoneId zone = rollup.zone();
        List<Stored> undisposed = store(zone);
        assertTrue(undisposed.size() >= 3, "an undisposed finding on most days: " + undisposed);

        rollup.roll(FROM, TO);
        assertEquals(DAYS + 2, validDays(zone), "every day of the range is rolled up, the two without audits too");
        assertSameAnswers(zone, "rolled up");
        // and through the API
        List<Map<String, Object>> api = given().get("/api/v1/stats/findings?from=" + FROM + "&to=" + TO + "&groupBy=doctor&limit=100")
                .then().statusCode(200).contentType(ContentType.JSON).extract()
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)).getList("$");
        List<FindingStats.Row> live = store.liveFindings(FROM, TO, zone, StatsStore.GroupBy.DOCTOR, null, StatsStore.SortBy.FINDINGS,
                StatsStore.Shadow.EXCLUDE, 100, null, null);
        assertEquals(live.stream().map(r -> r.key() + "=" + r.findings() + "/" + r.overridden() + "/" + r.amountAtRisk()).toList(),
                api.stream().map(r -> r.get("key") + "=" + r.get("findings") + "/" + r.get("overridden") + "/"
                        + ((BigDecimal) r.get("amountAtRisk")).setScale(2)).toList());

        // a disposition of a rolled-up day's finding, reported through the API long after the day
        Stored late = undisposed.get(1);
        long overriddenBefore = rule(zone, late.rule()).overridden();
        given().contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("findingId", late.findingId().toString(), "disposition", "OVERRIDDEN", "reason", "临床必需"))))
                .post("/api/v1/audits/" + late.auditId() + "/dispositions").then().statusCode(204);
        assertEquals(overriddenBefore + 1, rule(zone, late.rule()).overridden(), "the late override counts at once");
        assertSameAnswers(zone, "after a late disposition");
        rollup.roll(FROM, TO);
        assertEquals(DAYS + 2, validDays(zone), "the day is rolled up again");
        assertSameAnswers(zone, "after a late disposition, rolled up again");

        // an audit of a rolled-up day whose record reaches the database only now (as after an outage), with a finding
        // that an exemption (特批) made a notice and a finding on the same line that blocks
        long exemptedBefore = rule(zone, MEDICAL).exempted();
        BigDecimal policyMoneyBefore = rule(zone, POLICY).amountAtRisk();
        String auditId = UUID.randomUUID().toString();
        AuditRequest request = HistoryFixtures.maleIud("P-ROLL-LATE-" + UUID.randomUUID());
        AuditResponse.FindingDto exempted = new AuditResponse.FindingDto(UUID.randomUUID().toString(), MEDICAL, "药品区分性别使用",
                ResultType.VIOLATION, Action.INFO, List.of("L1"), List.of("XG02BAZ061Z007010279543"), "已特批", new BigDecimal("1153.00"),
                null, null, UUID.randomUUID().toString());
        AuditResponse.FindingDto blocked = new AuditResponse.FindingDto(UUID.randomUUID().toString(), POLICY, "医疗服务项目重复收费",
                ResultType.VIOLATION, Action.BLOCK, List.of("L1"), List.of("XG02BAZ061Z007010279543"), "重复收费", new BigDecimal("1153.00"),
                null, null);
        AuditResponse response = new AuditResponse(auditId, 1, Decision.BLOCK, List.of(exempted, blocked), List.of(), false, true, 100);
        OffsetDateTime at = FIRST.plusDays(2).atTime(11, 30).atZone(zone).toOffsetDateTime();
        assertTrue(writer.submit(new AuditRecord(auditId, at, request, response)));
        assertEquals(1, Await.until(() -> StoredAudits.count(ds, List.of(auditId)), n -> n == 1, Duration.ofSeconds(20), Duration.ofMillis(50)));
        assertEquals(exemptedBefore + 1, rule(zone, MEDICAL).exempted(), "the late record's exempted finding counts at once");
        assertEquals(0, policyMoneyBefore.add(new BigDecimal("1153.00")).compareTo(rule(zone, POLICY).amountAtRisk()),
                "the blocking finding's line is at risk, the exempted one's is not");
        assertSameAnswers(zone, "after a late record");
        rollup.roll(FROM, TO);
        assertEquals(DAYS + 2, validDays(zone));
        assertSameAnswers(zone, "after a late record, rolled up again");
    }
}
