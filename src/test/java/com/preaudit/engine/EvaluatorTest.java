package com.preaudit.engine;

import static com.preaudit.engine.T.NOW;
import static com.preaudit.engine.T.at;
import static com.preaudit.engine.T.csv;
import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.lineRule;
import static com.preaudit.engine.T.req;
import static com.preaudit.engine.T.rule;
import static com.preaudit.engine.T.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.ExpectedFinding;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.RuleTest;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    static final KnowledgeSet GENDER = csv("drug-gender", """
        kp_id,item_codes,item_name,gender,constraint_text
        KP-IUD,XG02BAZ061Z007010279543,左炔诺孕酮宫内节育系统,F,避孕，3 年有效。
        KP-DUT,XG04CBD247E002010101503|XG04CBD247E0020101*,度他雄胺软胶囊,M,
        """);
    static final Map<String, KnowledgeSet> SETS = Map.of("drug-gender", GENDER);
    static final String IUD = "XG02BAZ061Z007010279543";

    static T.R genderRule() {
        return rule("GZ10000301004000").name("药品区分性别使用").set("drug-gender")
            .when("patient.gender != 'U' && patient.gender != kp.gender")
            .message("@{line.itemName}限@{kp.gender == 'F' ? '女' : '男'}性使用，患者性别为@{patient.gender == 'F' ? '女' : '男'}")
            .source("国家医保局 医疗保障基金智能监管规则库、知识库（2025年版）");
    }

    static AuditResult audit(CatalogSnapshot s, AuditInput in) {
        return s.audit(in, at(NOW));
    }

    // ------------------------------------------------------------------------------------ applicability

    @Test
    void stageSelectsActionAndApplicability() {
        CatalogSnapshot s = snapshot(SETS, genderRule().actions(Stage.PRE_ORDER, Action.BLOCK)
            .action(Stage.PRE_CHARGE, Action.WARN));
        T.Q q = req().lines(line("l1", IUD).name("节育系统"));
        assertEquals(Action.BLOCK, audit(s, q.stage(Stage.PRE_ORDER).build()).findings().get(0).action());
        assertEquals(Action.WARN, audit(s, q.stage(Stage.PRE_CHARGE).build()).findings().get(0).action());
        AuditResult none = audit(s, q.stage(Stage.PRE_SETTLEMENT).build());
        assertEquals(List.of(), none.findings());
        assertEquals(List.of(), none.skipped(), "no action at a stage = not applicable, not skipped");
        assertEquals(Decision.PASS, none.decision());
    }

    @Test
    void scenarioRestriction() {
        CatalogSnapshot s = snapshot(SETS, genderRule().scenarios(Scenario.OUTPATIENT, Scenario.EMERGENCY));
        T.Q q = req().lines(line("l1", IUD));
        assertEquals(1, audit(s, q.scenario(Scenario.OUTPATIENT).build()).findings().size());
        AuditResult inpatient = audit(s, q.scenario(Scenario.INPATIENT).build());
        assertEquals(List.of(), inpatient.findings());
        assertEquals(List.of(), inpatient.skipped());
        AuditResult none = audit(s, q.scenario(null).build());
        assertEquals(List.of(), none.findings());
        assertEquals(List.of(new Skipped("GZ10000301004000", "scenario missing", false)), none.skipped());
        // listing every scenario is no restriction
        CatalogSnapshot all = snapshot(SETS, genderRule().scenarios(Scenario.values()));
        assertEquals(1, audit(all, q.scenario(null).build()).findings().size());
    }

    @Test
    void insuranceTypeRestriction() {
        CatalogSnapshot s = snapshot(SETS, genderRule().insurance("EMPLOYEE"));
        T.Q q = req().lines(line("l1", IUD));
        assertEquals(1, audit(s, q.insurance("EMPLOYEE").build()).findings().size());
        assertEquals(0, audit(s, q.insurance("RESIDENT").build()).findings().size());
        AuditResult none = audit(s, q.insurance(null).build());
        assertEquals(List.of(new Skipped("GZ10000301004000", "patient.insuranceType missing", false)), none.skipped());
    }

    @Test
    void hospitalLevelRestriction() {
        CatalogSnapshot s = snapshot(SETS, genderRule().levels(1, 2));
        T.Q q = req().lines(line("l1", IUD));
        assertEquals(1, audit(s, q.level(2).build()).findings().size());
        assertEquals(0, audit(s, q.level(3).build()).findings().size());
        assertEquals("hospital.level missing", audit(s, q.level(null).build()).skipped().get(0).reason());
    }

    @Test
    void effectiveDatesAreInclusiveAndUseTheAuditDate() {
        CatalogSnapshot s = snapshot(SETS, genderRule().dates("2025-06-01", "2025-06-30"));
        AuditInput in = req().lines(line("l1", IUD)).build();
        assertEquals(0, s.audit(in, at(LocalDateTime.of(2025, 5, 31, 23, 59))).findings().size());
        assertEquals(1, s.audit(in, at(LocalDateTime.of(2025, 6, 1, 0, 0))).findings().size());
        assertEquals(1, s.audit(in, at(LocalDateTime.of(2025, 6, 30, 23, 59))).findings().size());
        assertEquals(0, s.audit(in, at(LocalDateTime.of(2025, 7, 1, 0, 0))).findings().size());
        CatalogSnapshot open = snapshot(SETS, genderRule().dates(null, "2025-06-30"));
        assertEquals(1, open.audit(in, at(LocalDateTime.of(1999, 1, 1, 0, 0))).findings().size());
    }

    @Test
    void disabledAndOnlyRules() {
        CatalogSnapshot s = snapshot(SETS, genderRule().enabled(false),
            rule("R2").when("true").message("整单提示"));
        AuditInput in = req().lines(line("l1", IUD)).build();
        AuditResult r = audit(s, in);
        assertEquals(List.of("R2"), r.findings().stream().map(Finding::ruleCode).toList());
        AuditResult only = s.audit(in, new AuditOptions(NOW, true, Set.of("GZ10000301004000")));
        assertEquals(List.of(), only.findings());
    }

    // ------------------------------------------------------------------------------------ scopes

    @Test
    void lineScopeUsesTheIndexExactAndPrefix() {
        CatalogSnapshot s = snapshot(SETS, genderRule());
        AuditInput in = req().gender("F").lines(
            line("a", "XG04CBD247E002010101503").name("度他雄胺").amount("10"),   // exact, male only
            line("b", "XG04CBD247E002010109999").name("度他雄胺").amount("5"),    // prefix pattern
            line("c", IUD).name("节育"),                                           // female only: fine
            line("d", "X000").name("其他")).build();                                 // not in the set
        AuditResult r = audit(s, in);
        assertEquals(1, r.findings().size(), r::toString);
        Finding f = r.findings().get(0);
        assertEquals(List.of("a", "b"), f.lineIds(), "same row, same message: merged in request order");
        assertEquals(List.of("XG04CBD247E002010101503", "XG04CBD247E002010109999"), f.itemCodes());
        assertEquals(new BigDecimal("15"), f.amountAtRisk());
        assertEquals("KP-DUT", f.knowledgePointId());
        assertEquals("国家医保局 医疗保障基金智能监管规则库、知识库（2025年版）", f.basis(), "blank constraint_text: source");
        assertEquals("度他雄胺限男性使用，患者性别为女", f.message());
    }

    @Test
    void findingFieldsAndChineseMessage() {
        CatalogSnapshot s = snapshot(SETS, genderRule());
        AuditResult r = audit(s, req().lines(line("6374", IUD).name("左炔诺孕酮宫内节育系统").type("DRUG")
            .amount("1153.00")).build());
        assertEquals(Decision.BLOCK, r.decision());
        Finding f = r.findings().get(0);
        assertEquals(new Finding("GZ10000301004000", "药品区分性别使用", ResultType.VIOLATION, Action.BLOCK,
            List.of("6374"), List.of(IUD), "左炔诺孕酮宫内节育系统限女性使用，患者性别为男", new BigDecimal("1153.00"),
            "KP-IUD", "避孕，3 年有效。"), f);
    }

    @Test
    void firstFiringRowWinsForALine() {
        KnowledgeSet set = csv("s", """
            kp_id,item_codes,limit
            K1,A1,100
            K2,A*,2
            K3,A1,1
            """);
        CatalogSnapshot s = snapshot(Map.of("s", set),
            rule("R").set("s").when("line.quantity > kp.limit").message("超过@{kp.limit}"));
        AuditResult r = audit(s, req().lines(line("l1", "A1").qty("5")).build());
        assertEquals(1, r.findings().size());
        assertEquals("K2", r.findings().get(0).knowledgePointId());
        assertEquals("超过2", r.findings().get(0).message());
    }

    @Test
    void rulesWhoseSetsShareACodeEachReadTheirOwnRows() {
        // exact-code sets: both rules are gated (one probe of the code gate per line), and each must still read its
        // own set's rows for the shared code
        KnowledgeSet a = csv("a", "kp_id,item_codes,limit\nKA1,C1|C2,3\nKA2,C2,0\n");
        KnowledgeSet b = csv("b", "kp_id,item_codes,limit\nKB1,C1,10\nKB2,C1,1\nKB3,C9,0\n");
        CatalogSnapshot s = snapshot(Map.of("a", a, "b", b),
            rule("RA").set("a").when("line.quantity > kp.limit").message("A@{kp.limit}"),
            rule("RB").set("b").when("line.quantity > kp.limit").message("B@{kp.limit}"));
        AuditResult r = audit(s, req().lines(line("l1", "C1").qty("5"), line("l2", "C2").qty("2"),
            line("l3", "C3").qty("99")).build());
        assertEquals(List.of("RA:KA1:A3:[l1]", "RA:KA2:A0:[l2]", "RB:KB2:B1:[l1]"), r.findings().stream()
            .map(f -> f.ruleCode() + ":" + f.knowledgePointId() + ":" + f.message() + ":" + f.lineIds()).toList(),
            "l1 fires RA on KA1 (KA1's limit 3) and RB on KB2 (KB1's limit 10 holds); l2 only RA's second row; "
                + "l3's code is in neither set");
    }

    @Test
    void differentMessagesOrRowsMakeSeparateFindings() {
        KnowledgeSet set = csv("s", "kp_id,item_codes\nK1,A1|A2\nK2,B1\n");
        CatalogSnapshot s = snapshot(Map.of("s", set), rule("R").set("s").message("@{line.itemName}"));
        AuditResult r = audit(s, req().lines(line("1", "A1").name("甲"), line("2", "A2").name("乙"),
            line("3", "B1").name("甲"), line("4", "A2").name("甲")).build());
        assertEquals(3, r.findings().size(), r::toString);
        assertEquals(List.of("1", "4"), r.findings().get(0).lineIds());
        assertEquals(List.of("2"), r.findings().get(1).lineIds());
        assertEquals(List.of("3"), r.findings().get(2).lineIds());
        assertEquals("K2", r.findings().get(2).knowledgePointId());
    }

    @Test
    void itemTypesFilterLineScope() {
        KnowledgeSet set = csv("s", "kp_id,item_codes\nK1,A*\n");
        CatalogSnapshot s = snapshot(Map.of("s", set), rule("R").set("s").itemTypes("HERB"));
        AuditResult r = audit(s, req().lines(line("1", "A1").type("DRUG"), line("2", "A2").type("HERB")).build());
        assertEquals(List.of("2"), r.findings().get(0).lineIds());
    }

    @Test
    void lineScopeWithoutKnowledgeSetRunsEveryLineOfTheTypes() {
        CatalogSnapshot s = snapshot(Map.of(), rule("R").scope(Scope.LINE).itemTypes("DRUG")
            .when("line.days != null && line.days > param.maxDays").params(Map.of("maxDays", 7))
            .message("@{line.itemName}开药@{line.days}天，超过@{param.maxDays}天"));
        AuditResult r = audit(s, req().lines(
            line("1", "X1").type("DRUG").days(10).name("阿莫西林"),
            line("2", "X2").type("DRUG").days(3).name("布洛芬"),
            line("3", "S1").type("SERVICE").days(30).name("理疗"),
            line("4", "XA01BAA0001010101010").days(9).name("推断为药品")).build());
        assertEquals(2, r.findings().size(), r::toString);
        assertEquals("阿莫西林开药10天，超过7天", r.findings().get(0).message());
        assertEquals(List.of("4"), r.findings().get(1).lineIds(), "itemType inferred from a national drug code");
        assertNull(r.findings().get(0).knowledgePointId());
        assertEquals("政策依据", r.findings().get(0).basis());
    }

    @Test
    void orderScopeRunsOnceAndFlagsLinesOfTheTypes() {
        CatalogSnapshot s = snapshot(Map.of(), rule("LOCAL-AMOUNT").itemTypes("DRUG", "MATERIAL")
            .when("fn.requestTotal() > param.maxTotal").params(Map.of("maxTotal", 1000))
            .message("本次合计@{fn.requestTotal()}元，超过@{param.maxTotal}元"));
        AuditResult r = audit(s, req().lines(line("1", "X").type("DRUG").amount("800"),
            line("2", "C").type("MATERIAL").amount(null), line("3", "S").type("SERVICE").amount("300")).build());
        assertEquals(1, r.findings().size());
        Finding f = r.findings().get(0);
        assertEquals(List.of("1", "2"), f.lineIds());
        assertEquals(new BigDecimal("800"), f.amountAtRisk(), "null amounts count 0");
        assertEquals("本次合计1100元，超过1000元", f.message());
        assertNull(f.knowledgePointId());
        assertEquals(0, audit(s, req().lines(line("1", "X").amount("10")).build()).findings().size());
    }

    @Test
    void diagnosisScopeProbesTheIndexWithDiagnosisCodes() {
        KnowledgeSet set = csv("diagnosis-gender", """
            kp_id,item_codes,gender,item_name
            DG-F1,O*|N7*|N8*|N90*|C51*,F,妊娠及女性生殖系统
            DG-M1,N40*|C60*|C61*,M,男性生殖系统
            """);
        CatalogSnapshot s = snapshot(Map.of("diagnosis-gender", set), rule("GZ10000204006000")
            .set("diagnosis-gender").matchOn(MatchOn.DIAGNOSIS).actions(Stage.PRE_ORDER, Action.WARN)
            .when("patient.gender != 'U' && patient.gender != kp.gender")
            .message("诊断@{diagnosis.code}（@{diagnosis.name}）限@{kp.gender == 'F' ? '女' : '男'}性"));
        AuditResult r = audit(s, req().gender("M").dx("O80.001", "J18.9", "N40.x00").lines(line("1", "X")).build());
        assertEquals(1, r.findings().size(), r::toString);
        Finding f = r.findings().get(0);
        assertEquals(List.of(), f.lineIds());
        assertEquals(List.of(), f.itemCodes());
        assertEquals(BigDecimal.ZERO, f.amountAtRisk());
        assertEquals("DG-F1", f.knowledgePointId());
        assertEquals("诊断O80.001（诊断O80.001）限女性", f.message());
        assertEquals(Decision.WARN, r.decision());
        assertEquals(0, audit(s, req().gender("F").dx("O80.001").build()).findings().size());
        assertEquals(0, audit(s, req().gender("M").build()).findings().size());
    }

    @Test
    void decisionIsBlockOverWarnOverPass() {
        T.R warn = rule("W").when("true").message("w").actions(Stage.PRE_ORDER, Action.WARN);
        T.R block = rule("B").when("true").message("b").actions(Stage.PRE_ORDER, Action.BLOCK);
        T.R info = rule("I").when("true").message("i").actions(Stage.PRE_ORDER, Action.INFO);
        AuditInput in = req().lines(line("1", "X")).build();
        assertEquals(Decision.BLOCK, audit(snapshot(Map.of(), warn, block, info), in).decision());
        assertEquals(Decision.WARN, audit(snapshot(Map.of(), info, warn), in).decision());
        assertEquals(Decision.PASS, audit(snapshot(Map.of(), info), in).decision());
        assertEquals(1, audit(snapshot(Map.of(), info), in).findings().size(), "INFO findings are reported");
    }

    // ------------------------------------------------------------------------------------ failures and skips

    @Test
    void aFailingRuleIsSkippedAndTheAuditContinues() {
        CatalogSnapshot s = snapshot(SETS,
            lineRule("BAD-WINDOW", "fn.quantityIn(line, 'WEEK') > 1"),
            lineRule("NOT-BOOL", "line.quantity"),
            lineRule("NULL-RESULT", "param.nokey"),
            lineRule("SECOND-LINE-FAILS", "line.id == '1' || fn.quantityIn(line, 'WEEK') > 1"),
            genderRule());
        AuditResult r = audit(s, req().lines(line("1", IUD).name("节育"), line("2", "X9")).build());
        assertEquals(List.of("GZ10000301004000"), r.findings().stream().map(Finding::ruleCode).toList(),
            "only the healthy rule's finding; SECOND-LINE-FAILS's firing on line 1 is discarded");
        assertEquals(Decision.BLOCK, r.decision());
        assertEquals(4, r.skipped().size(), r::toString);
        for (Skipped k : r.skipped()) {
            assertTrue(k.error(), k::toString);
            assertTrue(k.reason().startsWith("rule failed: "), k::toString);
        }
        assertTrue(r.skipped().get(0).reason().contains("unknown window 'WEEK'"), r.skipped().get(0)::reason);
        assertTrue(r.skipped().get(1).reason().contains("instead of a boolean"), r.skipped().get(1)::reason);
        assertTrue(r.skipped().get(2).reason().contains("null instead of a boolean"), r.skipped().get(2)::reason);
    }

    @Test
    void missingDataSkipsWithAReasonNeverAFinding() {
        CatalogSnapshot s = snapshot(SETS,
            lineRule("AGE", "patient.ageYears >= 18"),
            lineRule("FN-AGE", "fn.ageYears(line) >= 18"),
            lineRule("DX", "!fn.hasDiagnosis('J18*')"),
            genderRule().when("(patient.gender == 'M' || patient.gender == 'F') && patient.gender != kp.gender"),
            lineRule("LEVEL", "hospital.level < 2 || scenario == null && hospital.level == null"));
        AuditResult r = audit(s, req().birth(null).gender(null).level(null).scenario(null).lines(line("1", IUD))
            .build());
        assertEquals(List.of("LEVEL"), r.findings().stream().map(Finding::ruleCode).toList(),
            "plain fields read null (an author may test for it); nulls never satisfy a comparison");
        assertEquals(List.of(
            new Skipped("AGE", "patient.birthDate missing", false),
            new Skipped("FN-AGE", "patient.birthDate missing", false),
            new Skipped("DX", "no diagnosis on the encounter", false)), r.skipped());
        // with the data present they decide normally
        AuditResult ok = audit(s, req().dx("J18.9").lines(line("1", IUD)).build());
        assertEquals(List.of("AGE", "FN-AGE", "GZ10000301004000"),
            ok.findings().stream().map(Finding::ruleCode).toList());
    }

    @Test
    void historyDependentRulesAreSkippedInDegradedMode() {
        KnowledgeSet freq = csv("service-frequency", "kp_id,item_codes,per,max_count\nF1,S1,DAY,1\n");
        CatalogSnapshot s = snapshot(Map.of("service-frequency", freq),
            rule("FREQ").set("service-frequency").when("fn.quantityIn(line, kp.per) > kp.max_count")
                .message("@{line.itemName}每日限@{kp.max_count}次"),
            rule("HIST").scope(Scope.ORDER).when("history.size() > 0"),
            lineRule("PLAIN", "true").message("x"));
        AuditInput in = req().lines(line("1", "S1").name("诊查费").at("2025-06-14T09:00"))
            .history(line("h1", "S1").at("2025-06-14T08:00")).build();
        AuditResult full = s.audit(in, new AuditOptions(NOW, true, null));
        assertEquals(List.of("FREQ", "HIST", "PLAIN"), full.findings().stream().map(Finding::ruleCode).toList());
        assertEquals("诊查费每日限1次", full.findings().get(0).message());
        AuditResult degraded = s.audit(in, new AuditOptions(NOW, false, null));
        assertEquals(List.of("PLAIN"), degraded.findings().stream().map(Finding::ruleCode).toList());
        assertEquals(List.of(new Skipped("FREQ", "stored history unavailable (degraded mode)", false),
            new Skipped("HIST", "stored history unavailable (degraded mode)", false)), degraded.skipped());
        // a history rule with nothing to look at stays silent
        AuditResult unrelated = s.audit(req().lines(line("1", "S9")).build(), new AuditOptions(NOW, false, null));
        assertFalse(unrelated.skipped().stream().anyMatch(k -> k.ruleCode().equals("FREQ")));
    }

    @Test
    void ruleReadingLineInOrderScopeFailsCleanly() {
        CatalogSnapshot s = snapshot(Map.of(), rule("R").when("fn.quantityIn(line, 'DAY') > 1"));
        AuditResult r = audit(s, req().lines(line("1", "X")).build());
        assertTrue(r.skipped().get(0).reason().contains("needs a line"), r::toString);
    }

    @Test
    void failingMessageTemplateFallsBackToTheRuleName() {
        CatalogSnapshot s = snapshot(Map.of(), rule("R").name("规则名").scope(Scope.LINE).when("true")
            .message("@{fn.quantityIn(line, 'WEEK')}"));
        AuditResult r = audit(s, req().lines(line("1", "X")).build());
        assertEquals("规则名", r.findings().get(0).message());
    }

    // ------------------------------------------------------------------------------------ compile and tests

    @Test
    void compileCollectsAllProblems() {
        CatalogCompileException e = assertThrows(CatalogCompileException.class, () -> snapshot(SETS,
            genderRule(), genderRule(), rule("R2").set("nope"), rule("R3").when("patient.gender = 'F'"),
            rule("R4").message("@code{x}"), rule("R5").when("line.quantity >")));
        List<Problem> p = e.problems();
        assertEquals(5, p.size(), p::toString);
        assertEquals(new Problem("GZ10000301004000", "code", "duplicate rule code", null), p.get(0));
        assertEquals(new Problem("R2", "knowledgeSet", "unknown knowledge set 'nope'", null), p.get(1));
        assertEquals("when", p.get(2).field());
        assertEquals(15, p.get(2).position());
        assertEquals("message", p.get(3).field());
        assertEquals("R5", p.get(4).ruleCode());
        assertTrue(e.getMessage().contains("R2.knowledgeSet"), e.getMessage());
    }

    @Test
    void validatorChecksRequiredFieldsAndKnownSets() {
        RuleDefinition empty = new RuleDefinition(null, " ", null, null, null, Map.of(), null, null, List.of(5), null,
            null, null, null, "x", null, null, List.of("PILL"), null, "", null, null);
        List<String> fields = RuleValidator.validate(empty, Set.of("y")).stream().map(Problem::field).toList();
        assertEquals(List.of("code", "name", "resultType", "actions", "itemTypes", "hospitalLevels", "knowledgeSet",
            "when", "message"), fields);
        assertEquals(List.of(), RuleValidator.validate(genderRule().build(), Set.of("drug-gender")));
        assertEquals(List.of(), RuleValidator.validate(genderRule().build(), null));
        assertEquals("knowledgeSet", RuleValidator.validate(genderRule().build(), Set.of()).get(0).field());
        Problem mvel = RuleValidator.validate(rule("R").when("line.quantity > (1").build(), null).get(0);
        assertEquals("when", mvel.field());
    }

    @Test
    void snapshotAccessors() {
        CatalogSnapshot s = CatalogSnapshot.compile(7, List.of(genderRule().build()),
            Map.of("drug-gender", GENDER, "other", csv("other", "item_codes\nA\nB\nC\n")));
        assertEquals(7, s.version());
        assertEquals(1, s.ruleCount());
        assertEquals(5, s.knowledgeRowCount());
        assertEquals("药品区分性别使用", s.rule("GZ10000301004000").name());
        assertNull(s.rule("nope"));
    }

    @Test
    void ruleTestsRunWithOnlyThatRuleAndReportDifferences() {
        RuleTest male = new RuleTest("IUD for a male patient is blocked",
            req().stage(null).scenario(null).lines(line("l1", IUD)).build(),
            List.of(new ExpectedFinding(List.of("l1"), null, null)), null);
        RuleTest female = new RuleTest("female passes", req().gender("F").lines(line("l1", IUD)).build(), List.of(),
            null);
        RuleTest wrong = new RuleTest("wrong expectation", req().lines(line("l1", IUD)).build(),
            List.of(new ExpectedFinding(List.of("l2"), null, Action.WARN)), null);
        RuleTest dated = new RuleTest("line date chooses the audit date",
            req().lines(line("l1", IUD).at("2024-12-31T10:00")).build(), List.of(), null);
        CatalogSnapshot s = snapshot(SETS,
            genderRule().scenarios(Scenario.OUTPATIENT).dates("2025-01-01", null).tests(male, female, wrong, dated),
            rule("OTHER").when("true").message("always").tests(new RuleTest("other", req().build(),
                List.of(new ExpectedFinding(null, "OTHER", Action.BLOCK)), null)),
            rule("BROKEN").when("fn.quantityIn(line, 'DAY') > 0").tests(new RuleTest("broken", req().build(),
                List.of(), null)));
        List<TestFailure> f = s.runRuleTests();
        assertEquals(2, f.size(), f::toString);
        assertEquals("wrong expectation", f.get(0).testName());
        assertTrue(f.get(0).message().startsWith("expected 1 finding(s), got 1 [BLOCK lines [l1]"), f.get(0).message());
        assertTrue(f.get(0).message().contains("{lineIds [l2], action WARN} not found"), f.get(0).message());
        assertEquals("BROKEN", f.get(1).ruleCode());
        assertTrue(f.get(1).message().startsWith("rule failed: "), f.get(1).message());
    }

    // ------------------------------------------------------------------------------------ binding, threads, JIT

    @Test
    void jacksonBindsYamlRulesAndJsonRequests() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule());
        RuleDefinition r = yaml.readValue("""
            code: GZ10000301004000
            name: 药品区分性别使用
            tier: MEDICAL
            category: 药品合理使用类
            resultType: VIOLATION
            actions: {PRE_ORDER: BLOCK, PRE_CHARGE: BLOCK, PRE_SETTLEMENT: BLOCK}
            scenarios: [OUTPATIENT, EMERGENCY, INPATIENT, PHARMACY, INTERNET]
            knowledgeSet: drug-gender
            params: {ratio: 0.5, limit: 18}
            when: "patient.gender != 'U' && patient.gender != kp.gender"
            message: "@{line.itemName}限@{kp.gender == 'F' ? '女' : '男'}性使用，患者性别为@{patient.gender == 'F' ? '女' : '男'}"
            source: 国家医保局 医疗保障基金智能监管规则库、知识库（2025年版）
            tests:
              - name: IUD for a male patient is blocked
                request: {stage: PRE_ORDER, patient: {id: t1, gender: M, birthDate: 1980-01-01},
                          lines: [{id: l1, itemCode: XG02BAZ061Z007010279543, quantity: 1}]}
                expect: [{lineIds: [l1]}]
              - name: same IUD for a female patient passes
                request: {stage: PRE_ORDER, patient: {id: t2, gender: F, birthDate: 1980-01-01},
                          lines: [{id: l1, itemCode: XG02BAZ061Z007010279543, quantity: 1}]}
                expect: []
            """, RuleDefinition.class);
        assertEquals(Action.BLOCK, r.actions().get(Stage.PRE_SETTLEMENT));
        assertEquals(LocalDate.of(1980, 1, 1), r.tests().get(0).request().patient().birthDate());
        CatalogSnapshot s = CatalogSnapshot.compile(1, List.of(r), SETS);
        assertEquals(List.of(), s.runRuleTests());

        // the native API's own example binds to the engine's model as it is
        AuditInput in = new ObjectMapper().registerModule(new JavaTimeModule())
            .readValue(com.preaudit.audit.AuditResource.REQUEST_EXAMPLE, AuditInput.class);
        AuditResult res = s.audit(in, at(NOW));
        assertEquals(Decision.BLOCK, res.decision());
        assertEquals("左炔诺孕酮宫内节育系统限女性使用，患者性别为男", res.findings().get(0).message());
    }

    @Test
    void repeatedAuditsStayStableAcrossMvelOptimisationAndThreads() throws Exception {
        KnowledgeSet freq = csv("f", "kp_id,item_codes,per,max_count,ratio\nF1,S*,DAY,1,0.5\n");
        CatalogSnapshot s = snapshot(Map.of("drug-gender", GENDER, "f", freq), genderRule(),
            rule("FREQ").set("f").when("fn.quantityIn(line, kp.per) > kp.max_count && line.amount > kp.ratio * 2")
                .message("@{line.itemName}: @{fn.quantityIn(line, kp.per)} > @{kp.max_count}"),
            rule("PROJ").scope(Scope.ORDER).when("(itemCode in lines).contains('S1') && lines.size() > 1"),
            rule("AGE").scope(Scope.LINE).itemTypes("SERVICE").when("fn.ageYears(line) >= 18 && patient.ageDays > 0"));
        AuditInput in = req().lines(line("1", IUD).name("节育").amount("10"),
            line("2", "S1").name("诊查").type("SERVICE").qty("2").amount("3"),
            line("3", "S2").name("诊查").type("SERVICE").amount("4")).build();
        AuditResult first = audit(s, in);
        assertEquals(List.of("GZ10000301004000", "FREQ", "PROJ", "AGE"),
            first.findings().stream().map(Finding::ruleCode).toList());
        for (int i = 0; i < 2_000; i++) assertEquals(first, audit(s, in), "iteration " + i);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 1_000; i++) if (!first.equals(audit(s, in))) return false;
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) assertTrue(f.get());
        } finally {
            pool.shutdown();
        }
        assertSame(Thread.currentThread().getContextClassLoader(), getClass().getClassLoader(),
            "audits restore the context class loader");
    }
}
