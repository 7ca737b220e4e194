package com.preaudit.stats;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.support.AuditRows;
import com.preaudit.support.HistoryFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statistics over a month of generated audits (February 2024, so no other test's audits fall in the
 * range), inserted in bulk through JDBC; the expected figures are computed here while generating.
 */
@QuarkusTest
class StatsApiTest {

    static final LocalDate FROM = LocalDate.of(2024, 2, 1);
    static final LocalDate TO = LocalDate.of(2024, 2, 29);
    static final int AUDITS = 3000;
    static final String[] RULES = {"R-DUP", "R-FREQ", "R-INDIC", "R-AGE", "R-GRADE"};
    static final String[] RULE_ACTIONS = {"BLOCK", "BLOCK", "WARN", "WARN", "INFO"};
    static final double[] RULE_WEIGHTS = {0.35, 0.25, 0.2, 0.12, 0.08};
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record F(String auditId, LocalDate day, String stage, String rule, String action, String dept, String doctor,
             List<String> items, BigDecimal amount, String disposition) { }

    record A(String id, LocalDate day, String stage, String decision) { }

    static final List<A> audits = new ArrayList<>();
    static final List<F> findings = new ArrayList<>();
    static boolean generated;

    @Inject
    AgroalDataSource ds;

    @BeforeEach
    void generate() throws Exception {
        if (generated) {
            return;
        }
        Random rnd = new Random(42);
        ZoneId zone = ZoneId.systemDefault();
        try (AuditRows rows = new AuditRows(ds)) {
            for (int i = 0; i < AUDITS; i++) {
                UUID auditId = UUID.randomUUID();
                LocalDate day = FROM.plusDays(i % 29);
                LocalDateTime at = day.atTime(7, 0).plusMinutes(rnd.nextInt(14 * 60));
                Timestamp ts = Timestamp.from(at.atZone(zone).toInstant());
                String stage = i % 3 == 0 ? "PRE_CHARGE" : "PRE_ORDER";
                int doc = 1 + rnd.nextInt(10);
                String doctor = String.format("DOC-%02d", doc);
                String dept = String.format("DEPT-%d", 1 + (doc - 1) % 4);
                int n = rnd.nextDouble() < 0.4 ? 0 : 1 + rnd.nextInt(3);
                String decision = "PASS";
                for (int k = 0; k < n; k++) {
                    int r = pick(rnd);
                    String action = RULE_ACTIONS[r];
                    decision = "BLOCK".equals(action) || "BLOCK".equals(decision) ? "BLOCK"
                            : "WARN".equals(action) || "WARN".equals(decision) ? "WARN" : decision;
                    List<String> items = new ArrayList<>(List.of("ITEM-" + rnd.nextInt(8)));
                    if (rnd.nextDouble() < 0.2) {
                        String second = "ITEM-" + rnd.nextInt(8);
                        if (!items.contains(second)) {
                            items.add(second);
                        }
                    }
                    BigDecimal amount = BigDecimal.valueOf(1000 + rnd.nextInt(99_000), 2);
                    // DOC-10 overrides 90 % of his findings, the others 10–37 %
                    double override = doc == 10 ? 0.9 : 0.1 + 0.03 * doc;
                    double u = rnd.nextDouble();
                    String disposition = u < override ? "OVERRIDDEN" : u < override + 0.3 ? "MODIFIED" : u < override + 0.45 ? "SELF_PAY" : null;
                    UUID findingId = UUID.randomUUID();
                    rows.finding(findingId, auditId, ts, stage, RULES[r], "规则" + RULES[r], action).by(dept, doctor).items(items, amount).add();
                    if (disposition != null) {
                        if (rnd.nextDouble() < 0.1) {
                            // an earlier, different disposition: only the latest counts
                            addDisposition(rows, findingId, auditId, "OVERRIDDEN".equals(disposition) ? "MODIFIED" : "OVERRIDDEN",
                                    Timestamp.from(ts.toInstant().plusSeconds(60)));
                        }
                        addDisposition(rows, findingId, auditId, disposition, Timestamp.from(ts.toInstant().plusSeconds(600)));
                    }
                    findings.add(new F(auditId.toString(), day, stage, RULES[r], action, dept, doctor, items, amount, disposition));
                }
                rows.record(auditId, ts, stage, decision, "P" + i, dept, doctor);
                audits.add(new A(auditId.toString(), day, stage, decision));
            }
            rows.commit();
        }
        generated = true;
    }

    private static void addDisposition(AuditRows rows, UUID finding, UUID audit, String kind, Timestamp at) throws Exception {
        rows.disposition(finding, audit, kind, "OVERRIDDEN".equals(kind) ? "临床必需" : null, at);
    }

    private static int pick(Random rnd) {
        double u = rnd.nextDouble();
        for (int r = 0; r < RULE_WEIGHTS.length; r++) {
            u -= RULE_WEIGHTS[r];
            if (u < 0) {
                return r;
            }
        }
        return RULE_WEIGHTS.length - 1;
    }

    /** Expected row, computed from the generated data the way a 医保科 manager would in a spreadsheet. */
    static final class Expected {
        final String key;
        final Set<String> audits = new HashSet<>();
        long findings;
        long blocked;
        long overridden;
        long selfPay;
        long modified;
        BigDecimal amount = BigDecimal.ZERO;

        Expected(String key) {
            this.key = key;
        }

        void add(F f) {
            audits.add(f.auditId());
            findings++;
            blocked += "BLOCK".equals(f.action()) ? 1 : 0;
            overridden += "OVERRIDDEN".equals(f.disposition()) ? 1 : 0;
            selfPay += "SELF_PAY".equals(f.disposition()) ? 1 : 0;
            modified += "MODIFIED".equals(f.disposition()) ? 1 : 0;
            if (!"INFO".equals(f.action())) {
                amount = amount.add(f.amount());    // a notice puts no money at risk
            }
        }

        double rate() {
            return BigDecimal.valueOf(overridden).divide(BigDecimal.valueOf(findings), 4, RoundingMode.HALF_UP).doubleValue();
        }
    }

    private static Map<String, Expected> expected(Function<F, List<String>> keys, String stage) {
        Map<String, Expected> out = new TreeMap<>();
        for (F f : findings) {
            if (stage == null || stage.equals(f.stage())) {
                for (String k : keys.apply(f)) {
                    out.computeIfAbsent(k, Expected::new).add(f);
                }
            }
        }
        return out;
    }

    private static List<Map<String, Object>> get(String path) throws Exception {
        String body = given().get(path).then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        return JSON.readValue(body, JSON.getTypeFactory().constructCollectionType(List.class, Map.class));
    }

    private static long num(Map<String, Object> row, String field) {
        return ((Number) row.get(field)).longValue();
    }

    private static BigDecimal money(Map<String, Object> row, String field) {
        return new BigDecimal(row.get(field).toString());
    }

    private static void assertRow(Expected e, Map<String, Object> row) {
        String k = e.key;
        assertEquals(e.key, row.get("key"));
        assertEquals(e.audits.size(), num(row, "audits"), k + " audits");
        assertEquals(e.findings, num(row, "findings"), k + " findings");
        assertEquals(e.blocked, num(row, "blocked"), k + " blocked");
        assertEquals(e.overridden, num(row, "overridden"), k + " overridden");
        assertEquals(e.selfPay, num(row, "selfPay"), k + " selfPay");
        assertEquals(e.modified, num(row, "modified"), k + " modified");
        assertEquals(e.rate(), ((Number) row.get("overrideRate")).doubleValue(), 1e-9, k + " overrideRate");
        assertEquals(0, e.amount.compareTo(money(row, "amountAtRisk")), k + " amountAtRisk " + e.amount + " vs " + row.get("amountAtRisk"));
    }

    private static String range() {
        return "from=" + FROM + "&to=" + TO;
    }

    @Test
    void rulesRankedByFindingsWithNamesAndTotals() throws Exception {
        List<Map<String, Object>> rows = get("/api/v1/stats/findings?" + range() + "&groupBy=rule");
        Map<String, Expected> expected = expected(f -> List.of(f.rule()), null);
        assertEquals(RULES.length, rows.size());
        List<Expected> sorted = expected.values().stream()
                .sorted(Comparator.comparingLong((Expected e) -> -e.findings).thenComparing(e -> e.key)).toList();
        for (int i = 0; i < sorted.size(); i++) {
            assertRow(sorted.get(i), rows.get(i));
            assertEquals("规则" + sorted.get(i).key, rows.get(i).get("name"));
        }
        assertEquals("R-DUP", rows.get(0).get("key"), "the most frequent rule comes first");
        long total = rows.stream().mapToLong(r -> num(r, "findings")).sum();
        assertEquals(findings.size(), total);
        BigDecimal amount = rows.stream().map(r -> money(r, "amountAtRisk")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, findings.stream().filter(f -> !"INFO".equals(f.action())).map(F::amount).reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(amount));
        // INFO findings are never blocked; BLOCK rules are always
        assertEquals(0, num(rows.stream().filter(r -> r.get("key").equals("R-GRADE")).findFirst().orElseThrow(), "blocked"));
    }

    @Test
    void theDoctorWhoOverridesMostComesFirst() throws Exception {
        Map<String, Expected> expected = expected(f -> List.of(f.doctor()), null);
        List<Map<String, Object>> byOverridden = get("/api/v1/stats/findings?" + range() + "&groupBy=doctor&sort=overridden&limit=3");
        assertEquals(3, byOverridden.size());
        assertEquals("DOC-10", byOverridden.get(0).get("key"));
        assertRow(expected.get("DOC-10"), byOverridden.get(0));
        assertTrue(((Number) byOverridden.get(0).get("overrideRate")).doubleValue() > 0.8);
        assertTrue(num(byOverridden.get(0), "overridden") >= num(byOverridden.get(1), "overridden"));
        assertTrue(num(byOverridden.get(1), "overridden") >= num(byOverridden.get(2), "overridden"));

        List<Map<String, Object>> byRate = get("/api/v1/stats/findings?" + range() + "&groupBy=doctor&sort=overrideRate");
        assertEquals(10, byRate.size());
        assertEquals("DOC-10", byRate.get(0).get("key"));
        for (Map<String, Object> row : byRate) {
            assertRow(expected.get((String) row.get("key")), row);
        }
        for (int i = 1; i < byRate.size(); i++) {
            assertTrue(((Number) byRate.get(i - 1).get("overrideRate")).doubleValue() >= ((Number) byRate.get(i).get("overrideRate")).doubleValue());
        }
        // default sort is by findings, descending
        List<Map<String, Object>> byFindings = get("/api/v1/stats/findings?" + range() + "&groupBy=doctor");
        for (int i = 1; i < byFindings.size(); i++) {
            assertTrue(num(byFindings.get(i - 1), "findings") >= num(byFindings.get(i), "findings"));
        }
    }

    @Test
    void departmentsFilteredByStageAndItemsCountEveryCodeOfAFinding() throws Exception {
        Map<String, Expected> expected = expected(f -> List.of(f.dept()), "PRE_CHARGE");
        List<Map<String, Object>> rows = get("/api/v1/stats/findings?" + range() + "&groupBy=department&stage=PRE_CHARGE");
        assertEquals(expected.size(), rows.size());
        for (Map<String, Object> row : rows) {
            assertRow(expected.get((String) row.get("key")), row);
        }

        Map<String, Expected> items = expected(F::items, null);
        List<Map<String, Object>> top = get("/api/v1/stats/findings?" + range() + "&groupBy=item&limit=3");
        List<Expected> sorted = items.values().stream()
                .sorted(Comparator.comparingLong((Expected e) -> -e.findings).thenComparing(e -> e.key)).limit(3).toList();
        assertEquals(3, top.size());
        for (int i = 0; i < 3; i++) {
            assertRow(sorted.get(i), top.get(i));
        }
    }

    @Test
    void dailyTotalsAddUp() throws Exception {
        List<Map<String, Object>> days = get("/api/v1/stats/daily?" + range());
        assertEquals(29, days.size());
        long audited = 0;
        long found = 0;
        long overridden = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (int i = 0; i < days.size(); i++) {
            Map<String, Object> d = days.get(i);
            LocalDate day = FROM.plusDays(i);
            assertEquals(day.toString(), d.get("date"));
            assertEquals(audits.stream().filter(a -> a.day().equals(day)).count(), num(d, "audits"), day + " audits");
            assertEquals(audits.stream().filter(a -> a.day().equals(day) && a.decision().equals("BLOCK")).count(), num(d, "blocked"));
            assertEquals(audits.stream().filter(a -> a.day().equals(day) && a.decision().equals("WARN")).count(), num(d, "warned"));
            assertEquals(num(d, "audits"), num(d, "blocked") + num(d, "warned") + num(d, "passed"), day + " decisions add up");
            assertEquals(findings.stream().filter(f -> f.day().equals(day)).count(), num(d, "findings"));
            assertEquals(findings.stream().filter(f -> f.day().equals(day) && "OVERRIDDEN".equals(f.disposition())).count(), num(d, "overridden"));
            audited += num(d, "audits");
            found += num(d, "findings");
            overridden += num(d, "overridden");
            amount = amount.add(money(d, "amountAtRisk"));
        }
        assertEquals(AUDITS, audited);
        assertEquals(findings.size(), found);
        assertEquals(findings.stream().filter(f -> "OVERRIDDEN".equals(f.disposition())).count(), overridden);
        assertEquals(0, findings.stream().filter(f -> !"INFO".equals(f.action())).map(F::amount).reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(amount));

        List<Map<String, Object>> oneDay = get("/api/v1/stats/daily?from=2024-02-10&to=2024-02-10&stage=PRE_ORDER");
        assertEquals(1, oneDay.size());
        assertEquals(audits.stream().filter(a -> a.day().equals(LocalDate.of(2024, 2, 10)) && a.stage().equals("PRE_ORDER")).count(),
                num(oneDay.get(0), "audits"));
        List<Map<String, Object>> empty = get("/api/v1/stats/daily?from=2023-01-01&to=2023-01-03");
        assertEquals(3, empty.size());
        assertEquals(0, num(empty.get(2), "audits"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/api/v1/stats/findings?groupBy=ward, groupBy",
            "/api/v1/stats/findings?from=2024-02-10&to=2024-02-01, from",
            "/api/v1/stats/findings?from=2024-02-30, from",
            "/api/v1/stats/findings?to=yesterday, to",
            "/api/v1/stats/findings?stage=POST_ORDER, stage",
            "/api/v1/stats/findings?limit=0, limit",
            "/api/v1/stats/findings?limit=ten, limit",
            "/api/v1/stats/findings?sort=price, sort",
            "/api/v1/stats/daily?from=2024-13-01, from",
            "/api/v1/stats/daily?from=2000-01-01&to=2024-01-01, from"})
    void badParametersAreNamed(String url, String field) {
        given().get(url).then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void anAuditAndItsOverrideThroughTheApiAppearInTodaysFigures() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        String today = LocalDate.now().toString();
        String path = "/api/v1/stats/findings?from=" + today + "&to=" + today + "&groupBy=rule&limit=1000";
        long before = get(path).stream().filter(r -> HistoryFixtures.DAY_RULE.equals(r.get("key")))
                .mapToLong(r -> num(r, "overridden")).sum();
        var audit = HistoryFixtures.postAudit(HistoryFixtures.audit("PRE_ORDER", "P-STATS-" + UUID.randomUUID(), "E1",
                List.of(HistoryFixtures.line("l1", "HISTTEST-S", 2, LocalDateTime.now().minusMinutes(1))))).then().statusCode(200).extract();
        String findingId = audit.path("findings.find { it.ruleCode == '" + HistoryFixtures.DAY_RULE + "' }.id");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("findingId", findingId);
        item.put("disposition", "OVERRIDDEN");
        item.put("reason", "临床必需");
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(item)))
                .post("/api/v1/audits/" + audit.path("auditId") + "/dispositions").then().statusCode(204);
        long after = get(path).stream().filter(r -> HistoryFixtures.DAY_RULE.equals(r.get("key")))
                .mapToLong(r -> num(r, "overridden")).sum();
        assertEquals(before + 1, after);
    }

    @Test
    void aFindingCountsForItsLinesDepartmentAndDoctorElseForTheEncounters() throws Exception {
        HistoryFixtures.ensureTestRulesActive();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        LocalDateTime at = LocalDateTime.now().minusMinutes(1);
        Map<String, Object> own = HistoryFixtures.line("l1", "HISTTEST-A", 2, at);
        own.put("departmentCode", "D-LINE-" + tag);
        own.put("doctorId", "DOC-LINE-" + tag);
        Map<String, Object> plain = HistoryFixtures.line("l2", "HISTTEST-B", 2, at);
        Map<String, Object> request = HistoryFixtures.audit("PRE_ORDER", "P-DEPT-" + tag, "E-" + tag, List.of(own, plain));
        @SuppressWarnings("unchecked")
        Map<String, Object> encounter = (Map<String, Object>) request.get("encounter");
        encounter.put("departmentCode", "D-ENC-" + tag);
        encounter.put("doctorId", "DOC-ENC-" + tag);
        HistoryFixtures.postAudit(request).then().statusCode(200)
                .body("findings.findAll { it.ruleCode == '" + HistoryFixtures.DAY_RULE + "' }.lineIds.flatten()",
                        containsInAnyOrder("l1", "l2"));

        assertEquals(Map.of("D-LINE-" + tag, 1L, "D-ENC-" + tag, 1L), findingsOnceStored("department", tag));
        assertEquals(Map.of("DOC-LINE-" + tag, 1L, "DOC-ENC-" + tag, 1L), findingsOnceStored("doctor", tag));
    }

    /** Today's findings per key of {@code groupBy} whose key contains {@code tag}, once the audit's record is stored. */
    private static Map<String, Long> findingsOnceStored(String groupBy, String tag) throws Exception {
        String today = LocalDate.now().toString();
        String path = "/api/v1/stats/findings?from=" + today + "&to=" + today + "&groupBy=" + groupBy + "&limit=1000";
        return com.preaudit.support.Await.until(() -> {
            Map<String, Long> counts = new TreeMap<>();
            for (Map<String, Object> row : get(path)) {
                if (String.valueOf(row.get("key")).contains(tag)) {
                    counts.put((String) row.get("key"), num(row, "findings"));
                }
            }
            return counts;
        }, counts -> !counts.isEmpty(), java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(50));
    }
}
