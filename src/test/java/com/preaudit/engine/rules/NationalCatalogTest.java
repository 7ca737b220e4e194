package com.preaudit.engine.rules;

import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.T;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Finding;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default rules with every national knowledge file of ../shared/knowledge/nhsa-2025/ imported under its own
 * name (replacing the project's small set of that name): the catalog compiles, and orders using real national codes
 * fire or stay quiet as the policy says. Codes are read from the national files, not copied into the project.
 */
class NationalCatalogTest {
    static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 23, 0);
    static final LocalDate TODAY = NOW.toLocalDate();

    static Path dir;
    static Map<String, KnowledgeSet> national;
    static Map<String, KnowledgeSet> sets;
    static CatalogSnapshot snap;

    @BeforeAll
    static void load() {
        dir = com.preaudit.support.NationalData.dir();
        Path cat = CatalogFiles.catalogDir();
        List<RuleDefinition> rules = CatalogFiles.loadRules(cat);
        sets = new LinkedHashMap<>(CatalogFiles.loadKnowledge(cat.resolve("knowledge")));
        national = CatalogFiles.loadKnowledge(dir);
        sets.putAll(national);
        snap = CatalogSnapshot.compile(2, rules, sets);
    }

    // ------------------------------------------------------------------------------------------ helpers

    static AuditResult audit(String rule, T.Q req) {
        return snap.audit(req.build(), new AuditOptions(NOW, true, Set.of(rule)));
    }

    static Finding fires(String rule, T.Q req, Action action, String... lineIds) {
        AuditResult r = audit(rule, req);
        assertEquals(1, r.findings().size(), () -> rule + " should fire once: " + r.findings() + " skipped " + r.skipped());
        Finding f = r.findings().get(0);
        assertEquals(rule, f.ruleCode());
        assertEquals(List.of(lineIds), f.lineIds());
        assertEquals(action, f.action());
        assertFalse(f.message().contains("null"), () -> "message reads badly: " + f.message());
        return f;
    }

    static void quiet(String rule, T.Q req) {
        AuditResult r = audit(rule, req);
        assertEquals(List.of(), r.findings(), () -> rule + " must not fire (skipped " + r.skipped() + ")");
    }

    static KnowledgeRow row(String set, Predicate<KnowledgeRow> p) {
        return national.get(set).rows().stream().filter(p).findFirst()
            .orElseThrow(() -> new AssertionError("no suitable row in national " + set));
    }

    static KnowledgeRow anyRow(String set) {
        return row(set, r -> true);
    }

    static String value(KnowledgeRow r, String column) {
        String v = r.values().get(column);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static Predicate<KnowledgeRow> has(String column, String value) {
        return r -> value.equals(value(r, column));
    }

    /** The first concrete (non-pattern) code of a row that no other row of the set lists. */
    static String code(String set, KnowledgeRow row) {
        Map<String, Integer> uses = new HashMap<>();
        for (KnowledgeRow r : national.get(set).rows()) for (String c : r.itemCodes()) uses.merge(c, 1, Integer::sum);
        return row.itemCodes().stream().filter(c -> !c.endsWith("*") && uses.get(c) == 1).findFirst()
            .orElseThrow(() -> new AssertionError("no unique code in row " + row.kpId() + " of " + set));
    }

    static String born(int age) {
        return TODAY.minusYears(age).minusDays(1).toString();
    }

    static String daysAgo(int n) {
        return NOW.toLocalDate().minusDays(n).atTime(9, 0).toString();
    }

    // ------------------------------------------------------------------------------------------ the catalog

    @Test
    void everyNationalFileWithARuleReplacesTheProjectSet() {
        Set<String> used = new java.util.HashSet<>();
        for (String code : CatalogFiles.SECTION7.keySet()) {
            String ks = snap.rule(code).knowledgeSet();
            if (ks != null) used.add(ks);
        }
        assertEquals(21, national.size(), "national CSV files: " + national.keySet());
        for (String name : national.keySet()) {
            assertTrue(used.contains(name), "national file " + name + " has no rule");
            assertTrue(national.get(name).rows().size() >= 1);
        }
        long rows = sets.values().stream().mapToLong(s -> s.rows().size()).sum();
        assertEquals(rows, snap.knowledgeRowCount());
        assertTrue(snap.knowledgeRowCount() > 3000, "all 3,501 national knowledge points loaded");
    }

    @Test
    void everyRuleTestStillPassesWithTheNationalFiles() {
        // publishing runs the rules' own tests: they must hold whichever of the two data sets is loaded
        assertEquals(List.of(), snap.runRuleTests());
    }

    // ------------------------------------------------------------------------------------------ gender, age

    @Test
    void drugGender() {
        KnowledgeRow r = row("drug-gender", has("gender", "F"));
        String c = code("drug-gender", r);
        Finding f = fires("GZ10000301004000", req().gender("M").lines(line("l1", c).type("DRUG")), Action.BLOCK, "l1");
        assertEquals(r.kpId(), f.knowledgePointId());
        assertTrue(f.message().contains(value(r, "item_name") + "限女性使用"), f.message());
        quiet("GZ10000301004000", req().gender("F").lines(line("l1", c).type("DRUG")));
    }

    @Test
    void serviceGender() {
        KnowledgeRow r = row("service-gender", has("gender", "M"));
        String c = code("service-gender", r);
        Finding f = fires("GZ10000302004000", req().gender("F").lines(line("s1", c).type("SERVICE")), Action.BLOCK, "s1");
        assertTrue(f.message().contains("限男性使用，患者性别为女"), f.message());
        quiet("GZ10000302004000", req().gender("M").lines(line("s1", c).type("SERVICE")));
    }

    @Test
    void drugChildOnly() {
        String c = code("drug-child-only", anyRow("drug-child-only"));
        fires("GZ10000301002000", req().birth(born(30)).lines(line("l1", c)), Action.BLOCK, "l1");
        quiet("GZ10000301002000", req().birth(born(5)).lines(line("l1", c)));
    }

    @Test
    void drugChildLimited() {
        String c = code("drug-child-limited", anyRow("drug-child-limited"));
        fires("GZ10000101007000", req().birth(born(18)).lines(line("l1", c)), Action.BLOCK, "l1");
        quiet("GZ10000101007000", req().birth(born(17)).lines(line("l1", c)));
    }

    @Test
    void serviceChildOnly() {
        String c = code("service-child-only", anyRow("service-child-only"));
        fires("GZ10000302003000", req().birth(born(40)).lines(line("s1", c)), Action.BLOCK, "s1");
        quiet("GZ10000302003000", req().birth(born(8)).lines(line("s1", c)));
    }

    @Test
    void serviceAge() {
        String c = code("service-age", row("service-age", has("population", "WORKING_AGE")));
        fires("GZ2025029", req().birth(born(70)).lines(line("s1", c)), Action.BLOCK, "s1");
        quiet("GZ2025029", req().birth(born(45)).lines(line("s1", c)));
    }

    // ------------------------------------------------------------------------------------------ insurance, mode, level

    @Test
    void workInjuryInsurance() {
        String c = code("drug-work-injury-insurance", row("drug-work-injury-insurance", has("insurance_type", "WORK_INJURY")));
        fires("GZ10000101001000", req().insurance("RESIDENT").lines(line("l1", c)), Action.BLOCK, "l1");
        quiet("GZ10000101001000", req().insurance("WORK_INJURY").lines(line("l1", c)));
    }

    @Test
    void maternityInsurance() {
        String c = code("drug-maternity-insurance", row("drug-maternity-insurance", has("insurance_type", "MATERNITY")));
        fires("GZ10000101002000", req().gender("F").insurance("EMPLOYEE").lines(line("l1", c)), Action.BLOCK, "l1");
        quiet("GZ10000101002000", req().gender("F").insurance("MATERNITY").lines(line("l1", c)));
    }

    @Test
    void careMode() {
        String c = code("drug-care-mode", row("drug-care-mode", has("care_modes", "INPATIENT")));
        Finding f = fires("GZ2025013", req().scenario(Scenario.PHARMACY).lines(line("l1", c)), Action.BLOCK, "l1");
        assertTrue(f.message().contains("仅限住院患者使用，本次就医方式为定点药店购药"), f.message());
        quiet("GZ2025013", req().scenario(Scenario.INPATIENT).lines(line("l1", c)));
    }

    @Test
    void hospitalLevel() {
        String c = code("drug-hospital-level", row("drug-hospital-level", has("min_hospital_level", "3")));
        Finding f = fires("GZ10000101012000", req().level(2).lines(line("l1", c)), Action.BLOCK, "l1");
        assertTrue(f.message().contains("限三级医疗机构使用，本机构为二级医疗机构"), f.message());
        quiet("GZ10000101012000", req().level(3).lines(line("l1", c)));
    }

    @Test
    void internetHospital() {
        String c = code("drug-internet-hospital", row("drug-internet-hospital", has("forbidden_scenario", "INTERNET")));
        fires("GZ2025047", req().scenario(Scenario.INTERNET).lines(line("l1", c)), Action.BLOCK, "l1");
        quiet("GZ2025047", req().scenario(Scenario.INPATIENT).lines(line("l1", c)));
    }

    // ------------------------------------------------------------------------------------------ herbs

    @Test
    void herbNeverPaid() {
        String c = code("herb-never-paid", anyRow("herb-never-paid"));
        fires("GZ10000101003000", req().lines(line("h1", c).type("HERB").rx("RX1")), Action.BLOCK, "h1");
        quiet("GZ10000101003000", req().lines(line("h1", c).type("HERB").rx("RX1").selfPay(true)));
    }

    @Test
    void herbSingleNotPaid() {
        String single = code("herb-single-not-paid", anyRow("herb-single-not-paid"));
        String other = national.get("herb-never-paid").rows().stream().flatMap(r -> r.itemCodes().stream())
            .filter(x -> national.get("herb-single-not-paid").rows().stream().noneMatch(r -> r.itemCodes().contains(x)))
            .findFirst().orElseThrow();
        fires("GZ10000101004000", req().lines(line("h1", single).type("HERB").rx("RX1")), Action.BLOCK, "h1");
        quiet("GZ10000101004000", req().lines(line("h1", single).type("HERB").rx("RX1"))
            .lines(line("h2", other).type("HERB").rx("RX1")));
    }

    // ------------------------------------------------------------------------------------------ indication, second line

    @Test
    void indicationWithoutPublishedDiagnosisCodesIsAReminder() {
        KnowledgeRow r = anyRow("drug-indication");
        String c = code("drug-indication", r);
        Finding f = fires("GZ10000101008000", req().diagnosis("I10.x00", "高血压").lines(line("l1", c)), Action.WARN, "l1");
        assertTrue(f.message().contains(value(r, "constraint_text")), f.message());
        assertTrue(f.message().contains("请确认患者符合限定支付范围"), f.message());
        assertEquals(value(r, "constraint_text"), f.basis());
        assertEquals(com.preaudit.engine.model.ResultType.SUSPICIOUS, f.resultType(), "codes alone cannot decide it");
        quiet("GZ10000101008000", req().diagnosis("I10.x00", "高血压").lines(line("l1", c).selfPay(true)));
    }

    @Test
    void secondLine() {
        // a second-line drug for which the national data also hold a drug of the same ATC class, other generic
        Map<String, String> byAtc = new HashMap<>();
        for (KnowledgeSet s : national.values()) {
            for (KnowledgeRow r : s.rows()) {
                for (String c : r.itemCodes()) {
                    if (c.length() >= 23 && (c.startsWith("X") || c.startsWith("Z"))) byAtc.putIfAbsent(c.substring(1, 6) + c.substring(0, 10), c);
                }
            }
        }
        String drug = null, firstLine = null;
        for (KnowledgeRow r : national.get("drug-second-line").rows()) {
            String c = code("drug-second-line", r);
            String atc = c.substring(1, 6), generic = c.substring(0, 10);
            for (Map.Entry<String, String> e : byAtc.entrySet()) {
                if (e.getKey().startsWith(atc) && !e.getKey().substring(5).equals(generic)) {
                    drug = c;
                    firstLine = e.getValue();
                    break;
                }
            }
            if (drug != null) break;
        }
        assertNotNull(drug, "no second-line drug with a same-class drug in the national data");
        fires("GZ10000101005000", req().lines(line("l1", drug).type("DRUG")), Action.WARN, "l1");
        quiet("GZ10000101005000", req().lines(line("l1", drug).type("DRUG"))
            .history(line("h1", firstLine).type("DRUG").at(daysAgo(60)).days(30)));
    }

    // ------------------------------------------------------------------------------------------ courses, frequencies

    @Test
    void drugCourseDays() {
        KnowledgeRow r = row("drug-course-days", x -> value(x, "max_days") != null);
        int max = Integer.parseInt(value(r, "max_days"));
        String c = code("drug-course-days", r);
        Finding f = fires("GZ10000101010000", req().scenario(Scenario.INPATIENT).lines(line("l1", c).days(1))
            .history(line("h1", c).at(daysAgo(max)).days(max)), Action.BLOCK, "l1");
        assertTrue(f.message().contains("医保支付不超过" + max + "天，含本次累计用药已达" + (max + 1) + "天"), f.message());
        quiet("GZ10000101010000", req().scenario(Scenario.INPATIENT).lines(line("l1", c).days(1))
            .history(line("h1", c).at(daysAgo(max - 1)).days(max - 1)));
    }

    @Test
    void serviceCourseDays() {
        KnowledgeRow r = row("service-course-days", x -> value(x, "max_days") != null && value(x, "min_interval_days") != null);
        int max = Integer.parseInt(value(r, "max_days")), interval = Integer.parseInt(value(r, "min_interval_days"));
        String c = code("service-course-days", r);
        fires("GZ10000102010000", req().lines(line("s1", c)).history(line("h1", c).at(daysAgo(max + 10)))
            .history(line("h2", c).at(daysAgo(interval + 1))), Action.BLOCK, "s1");
        fires("GZ10000102010000", req().lines(line("s1", c)).history(line("h1", c).at(daysAgo(interval - 1))),
            Action.BLOCK, "s1");
        quiet("GZ10000102010000", req().lines(line("s1", c)).history(line("h1", c).at(daysAgo(interval))));
    }

    @Test
    void duplicateCharge() {
        KnowledgeRow r = row("service-duplicate-charge", x -> x.itemCodes().size() == 2 && has("pair_rule", "A_WITH_B").test(x));
        String a = r.itemCodes().get(0), b = r.itemCodes().get(1);
        fires("GZ10000102012000", req().stage(Stage.PRE_CHARGE)
            .lines(line("s1", a).at("2025-06-14T09:00:00")).lines(line("s2", b).at("2025-06-14T10:00:00")), Action.BLOCK, "s2");
        quiet("GZ10000102012000", req().stage(Stage.PRE_CHARGE)
            .lines(line("s2", b).at("2025-06-14T10:00:00")).history(line("s1", a).at("2025-06-13T09:00:00")));
    }

    @Test
    void frequency() {
        KnowledgeRow r = row("service-frequency", x -> "DAY".equals(value(x, "per")) && "1".equals(value(x, "max_count")));
        String c = code("service-frequency", r);
        fires("GZ10000102014000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("s1", c).at("2025-06-14T08:00:00")).lines(line("s2", c).at("2025-06-14T15:00:00")), Action.BLOCK, "s2");
        quiet("GZ10000102014000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("s2", c).at("2025-06-14T15:00:00")).history(line("s1", c).at("2025-06-13T08:00:00")));
    }

    @Test
    void hourlyFrequency() {
        KnowledgeRow r = row("service-frequency", x -> "HOUR".equals(value(x, "per")) && value(x, "max_count") != null);
        int max = Integer.parseInt(value(r, "max_count"));
        String c = code("service-frequency", r);
        fires("GZ10000102014000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("s1", c).qty(Integer.toString(max)).at("2025-06-14T00:00:00")).lines(line("s2", c).qty("1").at("2025-06-14T23:30:00")),
            Action.BLOCK, "s2");
        quiet("GZ10000102014000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("s1", c).qty(Integer.toString(max - 1)).at("2025-06-14T00:00:00")).lines(line("s2", c).qty("1").at("2025-06-14T23:30:00")));
    }

    @Test
    void cycleFrequency() {
        KnowledgeRow r = row("service-cycle-frequency", x -> value(x, "min_interval_days") != null);
        int n = Integer.parseInt(value(r, "min_interval_days"));
        String c = code("service-cycle-frequency", r);
        fires("GZ2025031", req().lines(line("s1", c)).history(line("h1", c).at(daysAgo(n - 1))), Action.WARN, "s1");
        quiet("GZ2025031", req().lines(line("s1", c)).history(line("h1", c).at(daysAgo(n))));
    }

    @Test
    void surgeryDiscount() {
        KnowledgeSet s = national.get("surgery-discount-group");
        KnowledgeRow first = s.rows().get(0);
        String group = value(first, "group");
        KnowledgeRow second = s.rows().stream().filter(x -> x != first && group.equals(value(x, "group"))).findFirst().orElseThrow();
        String a = code("surgery-discount-group", first), b = code("surgery-discount-group", second);
        fires("GZ10000102002000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("o1", a).price("2000", "2000")).lines(line("o2", b).price("1000", "1000")), Action.BLOCK, "o2");
        quiet("GZ10000102002000", req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
            .lines(line("o1", a).price("2000", "2000")).lines(line("o2", b).price("500", "1000")));
    }
}
