package com.preaudit.engine.rules;

import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.T;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Skipped;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Round-two policy / management / material rules of the default catalog on what their YAML tests cannot say: a
 * request that lacks the data a rule needs gets the rule in {@code skipped} with the missing field named, and no
 * finding (issue 19: "missing data makes a rule say so in skipped, never fire on a guess").
 */
class PolicyRulesTest {
    static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 23, 0);
    static CatalogSnapshot snap;

    @BeforeAll
    static void load() {
        snap = CatalogFiles.defaultSnapshot();
    }

    static AuditResult audit(String rule, T.Q req, boolean history) {
        return snap.audit(req.build(), new AuditOptions(NOW, history, Set.of(rule)));
    }

    static void skippedFor(String rule, T.Q req, String reason) {
        AuditResult r = audit(rule, req, true);
        assertEquals(List.of(), r.findings(), rule + " must not decide without the data");
        assertEquals(List.of(new Skipped(rule, reason, false)), r.skipped(), rule);
    }

    static void firesOnce(String rule, T.Q req) {
        AuditResult r = audit(rule, req, true);
        assertEquals(1, r.findings().size(), () -> rule + ": " + r.findings() + " skipped " + r.skipped());
    }

    @Test
    void insuranceOnlyServiceWithoutInsuranceTypeIsSkipped() {
        T.Q abortion = req().lines(line("s1", "003112010530000").service("人工流产术"));
        firesOnce("GZ10000102004000", abortion.insurance("RESIDENT"));
        skippedFor("GZ10000102004000", abortion.insurance(null), "patient.insuranceType missing");
        skippedFor("GZ10000102003000", req().insurance(null).lines(line("s1", "003402000320000")),
            "patient.insuranceType missing");
    }

    @Test
    void careModeWithoutScenarioIsSkipped() {
        T.Q bed = req().lines(line("s1", "001109000010000").service("普通病房床位费"));
        firesOnce("GZ10000102009000", bed.scenario(com.preaudit.engine.model.Scenario.OUTPATIENT));
        skippedFor("GZ10000102009000", bed.scenario(null), "scenario missing");
    }

    @Test
    void drugCareModeWithoutScenarioIsSkippedNotBlocked() {
        // round one's 药品限就医方式 lists every scenario (no restriction to the engine), so without fn.need a request
        // without scenario read as "not in care_modes" and was blocked
        skippedFor("GZ2025013", req().scenario(null).lines(line("l1", "XB05BAZ087B002010178346")), "scenario missing");
    }

    @Test
    void hospitalLevelRulesWithoutLevelAreSkipped() {
        T.Q perfusion = req().lines(line("s1", "003110000100000").service("血液灌流"));
        firesOnce("GZ10000102011000", perfusion.level(1));
        skippedFor("GZ10000102011000", perfusion.level(null), "hospital.level missing");
        // a price row of one hospital level needs the level; a row for every level does not
        skippedFor("GZ10000102001000", req().level(null)
            .lines(line("s1", "001109000010000").price("80", "80")), "hospital.level missing");
        firesOnce("GZ10000102001000", req().level(null).lines(line("s1", "002503020030000").price("60", "60")));
    }

    @Test
    void priceCapWithoutUnitPriceIsSkipped() {
        skippedFor("GZ10000102001000", req().lines(line("s1", "002503020030000").amount("90")), "line.unitPrice missing");
    }

    @Test
    void materialDepartmentWithoutAnyDepartmentIsSkipped() {
        T.Q lens = req().scenario(com.preaudit.engine.model.Scenario.INPATIENT)
            .lines(line("m1", "C0801000000000000001").material("人工晶状体"));
        skippedFor("GZ10000303002000", lens, "line.departmentCode missing");
        firesOnce("GZ10000303002000", lens.department("A04"));
    }

    @Test
    void diagnosisRulesWithoutDiagnosesAreSkipped() {
        T.Q visit = req().lines(line("l1", "001102000050000").service("诊查费"));
        skippedFor("GZ10000201003000", visit, "no diagnosis on the encounter");
        skippedFor("GZ2025088", req().lines(line("m1", "C0801000000000000001")), "no diagnosis on the encounter");
        skippedFor("GZ10000101011000", req().lines(line("l1", "XA10BHS001A001010100001")), "no diagnosis on the encounter");
    }

    @Test
    void diagnosisCodeShape() {
        for (String bad : new String[] {"ZD-0012", "i10", "I1", "I10x00", "I10.", "I10.x00000", "110.0"}) {
            firesOnce("GZ10000201003000", req().diagnosis(bad, null).lines(line("l1", "001102000050000")));
        }
        for (String good : new String[] {"I10", "I10.x00", "K35.800", "E11.900", "C34.1"}) {
            AuditResult r = audit("GZ10000201003000", req().diagnosis(good, null).lines(line("l1", "001102000050000")), true);
            assertEquals(List.of(), r.findings(), good);
        }
    }

    @Test
    void procedureCodeShapeAndMissingProcedures() {
        com.preaudit.engine.model.AuditInput base = req().lines(line("l1", "001109000010000")).build();
        java.util.function.Function<List<com.preaudit.engine.model.Procedure>, AuditResult> run = ps -> snap.audit(
            new com.preaudit.engine.model.AuditInput(null, base.stage(), base.scenario(), base.hospital(), base.patient(),
                new com.preaudit.engine.model.Encounter("E1", null, null, null, null, List.of(), ps, null, null),
                base.lines(), List.of()), new AuditOptions(NOW, true, Set.of("GZ10000201004000")));
        for (String bad : new String[] {"SS-001", "4709", "47.", "47.12345", "47.01x1", "a7.01"}) {
            assertEquals(1, run.apply(List.of(new com.preaudit.engine.model.Procedure(bad, null, null, true))).findings().size(), bad);
        }
        for (String good : new String[] {"47", "47.0", "47.01", "36.0601", "81.5100x001"}) {
            assertEquals(List.of(), run.apply(List.of(new com.preaudit.engine.model.Procedure(good, null, null, true))).findings(), good);
        }
        assertEquals(List.of(), run.apply(List.of()).findings(), "no procedure done: nothing malformed");
        AuditResult notSent = run.apply(null);
        assertEquals(List.of(), notSent.findings());
        // skipped before evaluation, like the clinical rules: no exception through MVEL per audit without procedures
        assertEquals(List.of(new Skipped("GZ10000201004000", "encounter.procedures missing", false)), notSent.skipped());
    }

    @Test
    void newbornRulesWithoutBirthDateAreSkipped() {
        skippedFor("GZ10000101006000", req().birth(null).lines(line("l1", "XR07AAZ001B009010100001")),
            "patient.birthDate missing");
    }

    @Test
    void reimbursementCapNeedsStoredHistory() {
        AuditResult r = audit("GZ10000102015000", req().lines(line("s1", "003402000320000").amount("4000")), false);
        assertEquals(List.of(), r.findings());
        assertTrue(r.skipped().contains(new Skipped("GZ10000102015000", "stored history unavailable (degraded mode)", false)));
    }
    @Test
    void encounterQuotaComesFromTheMostSpecificDepartmentRow() {
        // 内科 inpatient: 30000 for any insurance, 20000 for 城乡居民; 50000 hospital-wide (param)
        T.Q stay = req().scenario(com.preaudit.engine.model.Scenario.INPATIENT)
            .lines(line("s1", "003310010140000").service("手术").amount("25000"));
        AuditResult resident = audit("LOCAL-ENCOUNTER-SHARE", stay.department("A03.04").insurance("RESIDENT"), true);
        assertEquals(1, resident.findings().size(), () -> resident.toString());
        assertTrue(resident.findings().get(0).message().contains("超过次均费用提醒线20000元"), resident.findings().get(0).message());
        assertTrue(resident.findings().get(0).message().contains("依据内科（含下级科室）指标"));
        assertEquals(List.of(), audit("LOCAL-ENCOUNTER-SHARE", stay.insurance("EMPLOYEE"), true).findings(), "30000 for 职工");
        // a department without a row, or none at all: the hospital-wide params
        assertEquals(List.of(), audit("LOCAL-ENCOUNTER-SHARE", stay.department("A12").insurance("RESIDENT"), true).findings());
        AuditResult wide = audit("LOCAL-ENCOUNTER-SHARE", stay.department(null)
            .lines(line("s2", "003310010140000").amount("30000")), true);
        assertTrue(wide.findings().get(0).message().contains("超过次均费用提醒线50000元"), wide.findings().get(0).message());
        assertTrue(wide.findings().get(0).message().contains("依据全院指标"));
    }

    @Test
    void chronicDiseaseDepartmentWithoutDepartmentIsSkipped() {
        skippedFor("LOCAL-CHRONIC-DEPT", req().chronic("E11.9").diagnosis("E11.900", "2型糖尿病")
            .lines(line("l1", "XA10BAE001A001010100001")), "encounter.departmentCode missing");
    }
}
