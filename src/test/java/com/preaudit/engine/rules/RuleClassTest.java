package com.preaudit.engine.rules;

import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.T;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Finding;
import com.preaudit.engine.Skipped;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One firing and one near-miss order per rule class of the default catalog, written the way a 医保科 author would
 * state the policy: what is a breach, and the closest case that is not.
 */
class RuleClassTest {
    static CatalogSnapshot snap;
    static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 23, 0);

    @BeforeAll
    static void compile() {
        snap = CatalogFiles.defaultSnapshot();
    }

    static AuditResult audit(String rule, T.Q req, boolean historyAvailable) {
        return snap.audit(req.build(), new AuditOptions(NOW, historyAvailable, Set.of(rule)));
    }

    static List<Finding> findings(String rule, T.Q req) {
        return audit(rule, req, true).findings().stream().filter(f -> f.ruleCode().equals(rule)).toList();
    }

    /** Exactly one finding of {@code rule} flagging {@code lineIds}, with that action and a message containing {@code text}. */
    static Finding fires(String rule, T.Q req, Action action, String text, String... lineIds) {
        AuditResult r = audit(rule, req, true);
        List<Finding> f = r.findings();
        assertEquals(1, f.size(), () -> rule + " should fire once: " + f + " skipped " + r.skipped());
        Finding x = f.get(0);
        assertEquals(rule, x.ruleCode());
        assertEquals(List.of(lineIds), x.lineIds(), () -> "flagged lines of " + rule + ": " + x);
        assertEquals(action, x.action(), () -> "action of " + rule);
        assertTrue(x.message().contains(text), () -> rule + " message '" + x.message() + "' should contain '" + text + "'");
        assertEquals(action == Action.BLOCK ? Decision.BLOCK : action == Action.WARN ? Decision.WARN : Decision.PASS,
            r.decision());
        return x;
    }

    static void quiet(String rule, T.Q req) {
        AuditResult r = audit(rule, req, true);
        assertEquals(List.of(), r.findings(), () -> rule + " must not fire (skipped: " + r.skipped() + ")");
        assertEquals(Decision.PASS, r.decision());
    }

    // ================================================================================ gender

    @Nested
    class DrugGender {
        static final String R = "GZ10000301004000";
        static final String IUD = "XG02BAZ061Z007010279543";

        @Test
        void iudForAMaleIsBlocked() {
            Finding f = fires(R, req().gender("M").lines(line("6374", IUD).drug("左炔诺孕酮宫内节育系统").amount("1153.00")),
                Action.BLOCK, "左炔诺孕酮宫内节育系统限女性使用，患者性别为男", "6374");
            assertEquals("KP-e93841e8e9a68cc2", f.knowledgePointId());
            assertEquals("避孕，3 年有效。", f.basis());
            assertEquals(0, new BigDecimal("1153.00").compareTo(f.amountAtRisk()));
            assertEquals(ResultType.VIOLATION, f.resultType());
            assertEquals("药品区分性别使用", f.ruleName());
        }

        @Test
        void missingItemNameFallsBackToTheKnowledgeName() {
            fires(R, req().gender("F").lines(line("l1", "XG04CBD247E002010101503")), Action.BLOCK,
                "度他雄胺软胶囊限男性使用，患者性别为女", "l1");
        }

        @Test
        void iudForAFemaleOrUnknownGenderPasses() {
            quiet(R, req().gender("F").lines(line("6374", IUD).drug("左炔诺孕酮宫内节育系统")));
            quiet(R, req().gender("U").lines(line("6374", IUD).drug("左炔诺孕酮宫内节育系统")));
        }
    }

    @Nested
    class ServiceGender {
        static final String R = "GZ10000302004000";

        @Test
        void uterineAngiographyForAMaleIsBlocked() {
            fires(R, req().gender("M").lines(line("s1", "002101030300000").service("子宫造影")), Action.BLOCK,
                "子宫造影限女性使用", "s1");
        }

        @Test
        void uterineAngiographyForAFemalePasses() {
            quiet(R, req().gender("F").lines(line("s1", "002101030300000").service("子宫造影")));
        }
    }

    // ================================================================================ age

    @Nested
    class DrugChildOnly {
        static final String R = "GZ10000301002000";

        @Test
        void childDrugOnThe18thBirthdayIsBlocked() {
            fires(R, req().birth("2007-06-14").lines(line("l1", "ZA01BAX0341010100166").drug("小儿百寿丸")),
                Action.BLOCK, "小儿百寿丸为儿童专用药品，患者18岁", "l1");
        }

        @Test
        void childDrugTheDayBeforeThe18thBirthdayPasses() {
            quiet(R, req().birth("2007-06-15").lines(line("l1", "ZA01BAX0341010100166").drug("小儿百寿丸")));
        }

        @Test
        void noBirthDateSkipsTheRuleInsteadOfFiring() {
            AuditResult r = audit(R, req().birth(null).lines(line("l1", "ZA01BAX0341010100166")), true);
            assertEquals(List.of(), r.findings());
            assertTrue(r.skipped().stream().anyMatch(s -> s.ruleCode().equals(R)), () -> "skipped: " + r.skipped());
        }
    }

    @Nested
    class DrugChildLimited {
        static final String R = "GZ10000101007000";

        @Test
        void adultUsingChildLimitedDrugIsBlocked() {
            fires(R, req().birth("2007-06-01").lines(line("l1", "XA06ADF336P001010100233").drug("复方聚乙二醇(3350)电解质散")),
                Action.BLOCK, "医保限儿童使用（限2岁至11岁儿童慢性便秘。），患者18岁", "l1");
        }

        @Test
        void seventeenYearOldPasses() {
            quiet(R, req().birth("2007-07-01").lines(line("l1", "XA06ADF336P001010100233").drug("复方聚乙二醇(3350)电解质散")));
        }
    }

    @Nested
    class ServiceChildOnly {
        static final String R = "GZ10000302003000";

        @Test
        void adultChargedChildCariesPreventionIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).birth("1995-01-20")
                    .lines(line("s1", "001302000010000").service("儿童龋齿预防保健")),
                Action.BLOCK, "儿童龋齿预防保健为儿童专用项目，患者30岁", "s1");
        }

        @Test
        void sixYearOldPasses() {
            quiet(R, req().stage(Stage.PRE_CHARGE).birth("2019-01-20")
                .lines(line("s1", "001302000010000").service("儿童龋齿预防保健")));
        }
    }

    @Nested
    class ServiceAge {
        static final String R = "GZ2025029";

        @Test
        void occupationalTrainingAtSixtyIsBlocked() {
            fires(R, req().birth("1965-06-14").lines(line("s1", "003402000320000").service("职业功能训练")),
                Action.BLOCK, "限法定就业年龄段（16周岁至未满60周岁）患者，患者60岁", "s1");
        }

        @Test
        void occupationalTrainingAtFifteenIsBlocked() {
            fires(R, req().birth("2010-01-01").lines(line("s1", "003402000320000").service("职业功能训练")),
                Action.BLOCK, "患者15岁", "s1");
        }

        @Test
        void occupationalTrainingAtFiftyNinePasses() {
            quiet(R, req().birth("1965-06-15").lines(line("s1", "003402000320000").service("职业功能训练")));
        }
    }

    // ================================================================================ insurance, care mode, level

    @Nested
    class WorkInjuryInsurance {
        static final String R = "GZ10000101001000";

        @Test
        void employeeInsuranceCannotPayWorkInjuryOnlyVaccine() {
            fires(R, req().insurance("EMPLOYEE").lines(line("l1", "XJ07BGR030B014010101119").drug("冻干人用狂犬病疫苗(Vero细胞)")),
                Action.BLOCK, "限工伤保险支付，患者参保险种为职工医保", "l1");
        }

        @Test
        void workInjuryInsurancePasses() {
            quiet(R, req().insurance("WORK_INJURY").lines(line("l1", "XJ07BGR030B014010101119").drug("冻干人用狂犬病疫苗(Vero细胞)")));
        }
    }

    @Nested
    class MaternityInsurance {
        static final String R = "GZ10000101002000";

        @Test
        void residentInsuranceCannotPayMaternityOnlyDrug() {
            fires(R, req().gender("F").insurance("RESIDENT").scenario(Scenario.INPATIENT)
                    .lines(line("l1", "XG02ADD082D003010179504").drug("地诺前列酮栓")),
                Action.BLOCK, "地诺前列酮栓限生育保险支付，患者参保险种为城乡居民医保", "l1");
        }

        @Test
        void maternityInsurancePasses() {
            quiet(R, req().gender("F").insurance("MATERNITY").scenario(Scenario.INPATIENT)
                .lines(line("l1", "XG02ADD082D003010179504").drug("地诺前列酮栓")));
        }
    }

    @Nested
    class CareMode {
        static final String R = "GZ2025013";
        static final String TPN = "XB05BAZ087B002010178346";

        @Test
        void inpatientOnlyNutritionInOutpatientIsBlocked() {
            fires(R, req().scenario(Scenario.OUTPATIENT).lines(line("l1", TPN).drug("脂肪乳(20%)/氨基酸(15)/葡萄糖(30%)注射液")),
                Action.BLOCK, "仅限住院患者使用，本次就医方式为门诊", "l1");
        }

        @Test
        void inpatientOnlyNutritionForAnInpatientPasses() {
            quiet(R, req().scenario(Scenario.INPATIENT).lines(line("l1", TPN).drug("脂肪乳(20%)/氨基酸(15)/葡萄糖(30%)注射液")));
        }
    }

    @Nested
    class HospitalLevel {
        static final String R = "GZ10000101012000";

        @Test
        void levelOneHospitalUsingLevelTwoDrugIsBlocked() {
            fires(R, req().level(1).lines(line("l1", "ZC01AAA0042010105549").drug("艾迪注射液")),
                Action.BLOCK, "艾迪注射液限二级及以上医疗机构使用，本机构为一级医疗机构", "l1");
        }

        @Test
        void levelTwoHospitalPasses() {
            quiet(R, req().level(2).lines(line("l1", "ZC01AAA0042010105549").drug("艾迪注射液")));
        }
    }

    @Nested
    class InternetHospital {
        static final String R = "GZ2025047";

        @Test
        void fentanylPatchInInternetConsultationIsBlocked() {
            fires(R, req().scenario(Scenario.INTERNET).lines(line("l1", "XN02ABF027V002010101389").drug("芬太尼透皮贴剂")),
                Action.BLOCK, "互联网诊疗不得开具芬太尼透皮贴剂", "l1");
        }

        @Test
        void fentanylPatchInAnOutpatientClinicPasses() {
            quiet(R, req().scenario(Scenario.OUTPATIENT).lines(line("l1", "XN02ABF027V002010101389").drug("芬太尼透皮贴剂")));
        }
    }

    // ================================================================================ herbs

    @Nested
    class HerbNeverPaid {
        static final String R = "GZ10000101003000";

        @Test
        void donkeyHideGelatinBilledToTheFundIsBlocked() {
            fires(R, req().lines(line("h1", "T001700233").herb("阿胶").rx("RX1"))
                    .lines(line("h2", "T000000001").herb("当归").rx("RX1")),
                Action.BLOCK, "中药饮片阿胶单方、复方均不纳入基金支付范围", "h1");
        }

        @Test
        void donkeyHideGelatinConvertedToSelfPayPasses() {
            quiet(R, req().lines(line("h1", "T001700233").herb("阿胶").rx("RX1").selfPay(true)));
        }
    }

    @Nested
    class HerbSingleNotPaid {
        static final String R = "GZ10000101004000";

        @Test
        void cloveAloneIsBlocked() {
            fires(R, req().lines(line("h1", "T000700200").herb("丁香").rx("RX1")), Action.BLOCK,
                "中药饮片丁香单独使用", "h1");
        }

        @Test
        void cloveInACompoundPrescriptionPasses() {
            quiet(R, req().lines(line("h1", "T000700200").herb("丁香").rx("RX1"))
                .lines(line("h2", "T000000001").herb("当归").rx("RX1")));
        }
    }

    // ================================================================================ indication, second line

    @Nested
    class Indication {
        static final String R = "GZ10000101008000";
        static final String EXENATIDE = "XA10BJA085B002010106474";

        @Test
        void exenatideWithoutType2DiabetesIsAWarning() {
            fires(R, req().diagnosis("I10.x00", "高血压").lines(line("l1", EXENATIDE).drug("艾塞那肽注射液")),
                Action.WARN, "艾塞那肽注射液限定支付范围：限2型糖尿病。本次就诊诊断不符合该限定适应症", "l1");
        }

        @Test
        void exenatideWithType2DiabetesPasses() {
            quiet(R, req().diagnosis("E11.900", "2型糖尿病").lines(line("l1", EXENATIDE).drug("艾塞那肽注射液")));
        }

        @Test
        void encounterWithoutAnyDiagnosisIsSkippedNotFlagged() {
            AuditResult r = audit(R, req().lines(line("l1", EXENATIDE).drug("艾塞那肽注射液")), true);
            assertEquals(List.of(), r.findings());
            assertTrue(r.skipped().stream().anyMatch(s -> s.ruleCode().equals(R) && s.reason().contains("diagnosis")),
                () -> "skipped: " + r.skipped());
        }

        @Test
        void pointWithoutDiagnosisCodesAsksTheDoctorToConfirm() {
            fires(R, req().diagnosis("C50.900", "乳腺恶性肿瘤").lines(line("l1", "XA04ADA285B002010102180").drug("阿瑞匹坦注射液")),
                Action.WARN, "限定支付范围：限放化疗。请确认患者符合限定支付范围", "l1");
        }
    }

    @Nested
    class SecondLine {
        static final String R = "GZ10000101005000";
        static final String IGURATIMOD = "XM01AXA267A001010101522";

        @Test
        void secondLineDrugWithoutFirstLineHistoryIsAWarning() {
            Finding f = fires(R, req().gender("F").lines(line("l1", IGURATIMOD).drug("艾拉莫德片")), Action.WARN,
                "艾拉莫德片限二线使用（限活动性类风湿关节炎患者的二线治疗。），未见同类一线药品使用记录", "l1");
            assertEquals(ResultType.SUSPICIOUS, f.resultType());
        }

        @Test
        void secondLineDrugAfterAnotherDrugOfTheSameClassPasses() {
            quiet(R, req().gender("F").lines(line("l1", IGURATIMOD).drug("艾拉莫德片"))
                .history(line("h1", "XM01AXA052A001010100001").drug("同类一线药品").at("2025-03-01T10:00:00").days(28)));
        }

        @Test
        void degradedModeSkipsTheHistoryRule() {
            AuditResult r = audit(R, req().lines(line("l1", IGURATIMOD).drug("艾拉莫德片")), false);
            assertEquals(List.of(), r.findings());
            Skipped s = r.skipped().stream().filter(x -> x.ruleCode().equals(R)).findFirst().orElseThrow();
            assertTrue(s.reason().contains("degraded"), s.reason());
        }
    }

    // ================================================================================ courses, frequencies

    @Nested
    class DrugCourseDays {
        static final String R = "GZ10000101010000";
        static final String OZAGREL = "XB01AXA223B004010180963";

        @Test
        void fifteenthDayOfOzagrelIsBlocked() {
            fires(R, req().scenario(Scenario.INPATIENT)
                    .lines(line("l1", OZAGREL).drug("奥扎格雷氨丁三醇注射用浓溶液").at("2025-06-11T09:00:00").days(5))
                    .history(line("h1", OZAGREL).drug("奥扎格雷氨丁三醇注射用浓溶液").at("2025-06-01T09:00:00").days(10)),
                Action.BLOCK, "医保支付不超过14天，含本次累计用药已达15天", "l1");
        }

        @Test
        void exactlyFourteenDaysPasses() {
            quiet(R, req().scenario(Scenario.INPATIENT)
                .lines(line("l1", OZAGREL).drug("奥扎格雷氨丁三醇注射用浓溶液").at("2025-06-11T09:00:00").days(4))
                .history(line("h1", OZAGREL).at("2025-06-01T09:00:00").days(10)));
        }
    }

    @Nested
    class ServiceCourseDays {
        static final String R = "GZ10000102010000";
        static final String HAND = "003402000050000";

        @Test
        void handAssessmentMoreThan90DaysAfterTheFirstIsBlocked() {
            fires(R, req().lines(line("s1", HAND).service("手功能评定"))
                    .history(line("h1", HAND).at("2025-03-01T09:00:00"))
                    .history(line("h2", HAND).at("2025-05-20T09:00:00")),
                Action.BLOCK, "手功能评定自首次使用起已105天，超过支付疗程90天", "s1");
        }

        @Test
        void handAssessmentRepeatedAfter10DaysIsBlocked() {
            fires(R, req().lines(line("s1", HAND).service("手功能评定")).history(line("h1", HAND).at("2025-06-04T09:00:00")),
                Action.BLOCK, "距上次使用仅10天，短于规定间隔14天", "s1");
        }

        @Test
        void handAssessmentAfterExactly14DaysWithinTheCoursePasses() {
            quiet(R, req().lines(line("s1", HAND).service("手功能评定"))
                .history(line("h1", HAND).at("2025-05-01T09:00:00"))
                .history(line("h2", HAND).at("2025-05-31T09:00:00")));
        }
    }

    @Nested
    class DuplicateCharge {
        static final String R = "GZ10000102012000";

        @Test
        void emergencyConsultationAfterEmergencyMonitoringTheSameDayIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.EMERGENCY)
                    .lines(line("s1", "001103000010000").service("急诊监护费").at("2025-06-14T09:00:00"))
                    .lines(line("s2", "001102000030000").service("急诊诊查费").at("2025-06-14T10:00:00")),
                Action.BLOCK, "急诊诊查费与同日已收费项目重复收费（急诊监护费×急诊诊查费：含监护、床位、诊查、护理）", "s2");
        }

        @Test
        void thePairOnDifferentDaysPasses() {
            quiet(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.EMERGENCY)
                .lines(line("s2", "001102000030000").service("急诊诊查费").at("2025-06-14T10:00:00"))
                .history(line("s1", "001103000010000").service("急诊监护费").at("2025-06-13T09:00:00")));
        }
    }

    @Nested
    class Frequency {
        static final String R = "GZ10000102014000";
        static final String WARD_VISIT = "001102000050000";

        @Test
        void secondWardVisitFeeOfTheDayIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                    .lines(line("s1", WARD_VISIT).service("住院诊查费").at("2025-06-14T08:00:00"))
                    .lines(line("s2", WARD_VISIT).service("住院诊查费").at("2025-06-14T16:00:00")),
                Action.BLOCK, "住院诊查费每日最多收费1次，当日累计已达2次", "s2");
        }

        @Test
        void secondVisitFeeAgainstAChargeAlreadyPostedTodayIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                    .lines(line("s2", WARD_VISIT).service("住院诊查费").at("2025-06-14T16:00:00"))
                    .history(line("s1", WARD_VISIT).at("2025-06-14T08:00:00")),
                Action.BLOCK, "当日累计已达2次", "s2");
        }

        @Test
        void oneVisitFeePerDayPasses() {
            quiet(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                .lines(line("s1", WARD_VISIT).service("住院诊查费").at("2025-06-14T08:00:00"))
                .history(line("h1", WARD_VISIT).at("2025-06-13T08:00:00")));
        }

        @Test
        void hourlyMonitoringAbove24HoursADayIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                    .lines(line("s1", "003101000140000").service("颅内压监测").qty("16").at("2025-06-14T08:00:00"))
                    .lines(line("s2", "003101000140000").service("颅内压监测").qty("10").at("2025-06-14T22:00:00")),
                Action.BLOCK, "每日最多收费24小时，当日累计已达26小时", "s2");
        }
        @Test
        void onlyTheLineThatCrosses24HoursIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                    .lines(line("s1", "003101000140000").service("颅内压监测").qty("10").at("2025-06-14T08:00:00"))
                    .lines(line("s2", "003101000140000").service("颅内压监测").qty("10").at("2025-06-14T12:00:00"))
                    .lines(line("s3", "003101000140000").service("颅内压监测").qty("10").at("2025-06-14T16:00:00")),
                Action.BLOCK, "当日累计已达30小时", "s3");
        }

        @Test
        void yesterdaysLateChargeDoesNotMakeTodaysFirstChargeADuplicate() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT)
                    .lines(line("s1", WARD_VISIT).service("住院诊查费").at("2025-06-14T08:00:00"))
                    .lines(line("s2", WARD_VISIT).service("住院诊查费").at("2025-06-14T16:00:00"))
                    .history(line("h1", WARD_VISIT).at("2025-06-13T20:00:00")),
                Action.BLOCK, "当日累计已达2次", "s2");
        }
    }

    @Nested
    class CycleFrequency {
        static final String R = "GZ2025031";
        static final String HBA1C = "002503020030000";

        @Test
        void hba1cRepeatedAfter30DaysIsAWarning() {
            Finding f = fires(R, req().lines(line("s1", HBA1C).service("糖化血红蛋白测定"))
                    .history(line("h1", HBA1C).at("2025-05-15T09:00:00")),
                Action.WARN, "糖化血红蛋白测定距上次（2025-05-15）仅30天，短于合理周期60天", "s1");
            assertEquals(ResultType.SUSPICIOUS, f.resultType());
        }

        @Test
        void hba1cAfter60DaysPasses() {
            quiet(R, req().lines(line("s1", HBA1C).service("糖化血红蛋白测定")).history(line("h1", HBA1C).at("2025-04-15T09:00:00")));
        }
    }

    @Nested
    class SurgeryDiscount {
        static final String R = "GZ10000102002000";

        T.Q twoGastroOperations(String secondUnitPrice, Stage stage) {
            return req().stage(stage).scenario(Scenario.INPATIENT)
                .lines(line("o1", "003310010140000").service("食管癌根治+结肠代食管术").price("3000", "3000"))
                .lines(line("o2", "003310010160000").service("食管胃吻合口狭窄切开成形术").price(secondUnitPrice, "1200"));
        }

        @Test
        void secondOperationOfTheSameGroupAtFullPriceIsBlockedAtCharging() {
            fires(R, twoGastroOperations("1200", Stage.PRE_CHARGE), Action.BLOCK,
                "食管胃吻合口狭窄切开成形术为同日同组（胃肠手术组）第二及以后的手术，应按不高于原价×0.5计收", "o2");
        }

        @Test
        void atOrderingItIsOnlyAWarning() {
            fires(R, twoGastroOperations("1200", Stage.PRE_ORDER), Action.WARN, "胃肠手术组", "o2");
        }

        @Test
        void secondOperationDiscountedTo50PercentPasses() {
            quiet(R, twoGastroOperations("600", Stage.PRE_CHARGE));
        }
    }

    // ================================================================================ diagnoses

    @Nested
    class DiagnosisGender {
        static final String R = "GZ10000204006000";

        @Test
        void deliveryDiagnosisForAMaleIsFlaggedWithoutLines() {
            fires(R, req().gender("M").diagnosis("O80.000", "单胎顺产").lines(line("l1", "001102000050000")),
                Action.WARN, "诊断O80.000（单胎顺产）仅适用于女性患者，与患者性别（男）不符");
        }

        @Test
        void atSettlementItBlocks() {
            fires(R, req().stage(Stage.PRE_SETTLEMENT).gender("F").diagnosis("N40.x00", "前列腺增生")
                .lines(line("l1", "001102000050000")), Action.BLOCK, "仅适用于男性患者");
        }

        @Test
        void deliveryDiagnosisForAFemalePasses() {
            quiet(R, req().gender("F").diagnosis("O80.000", "单胎顺产").lines(line("l1", "001102000050000")));
        }
    }

    @Nested
    class DiagnosisAge {
        static final String R = "GZ10000204007000";

        @Test
        void perinatalDiagnosisForAnAdultIsFlagged() {
            fires(R, req().birth("1990-05-05").diagnosis("P59.900", "新生儿黄疸").lines(line("l1", "001102000050000")),
                Action.WARN, "诊断P59.900（新生儿黄疸）适用于1岁及以下患者，患者35岁");
        }

        @Test
        void perinatalDiagnosisForAOneYearOldPasses() {
            quiet(R, req().birth("2024-03-01").diagnosis("P59.900", "新生儿黄疸").lines(line("l1", "001102000050000")));
        }
    }

    // ================================================================================ prescriptions

    @Nested
    class MaxDays {
        static final String R = "GZ2025009";

        @Test
        void eightDaysInOutpatientIsAWarning() {
            fires(R, req().lines(line("l1", "XJ01DCA001A001010100001").drug("头孢呋辛酯片").days(8)), Action.WARN,
                "头孢呋辛酯片开药8天，超过门诊处方最多7天用量的规定", "l1");
        }

        @Test
        void sevenDaysPassesAndChronicPatientsMayHave30() {
            quiet(R, req().lines(line("l1", "XJ01DCA001A001010100001").drug("头孢呋辛酯片").days(7)));
            quiet(R, req().chronic("I10.x00").lines(line("l1", "XC08CAA001A001010100001").drug("苯磺酸氨氯地平片").days(30)));
        }

        @Test
        void emergencyLimitIsThreeDays() {
            fires(R, req().scenario(Scenario.EMERGENCY).lines(line("l1", "XJ01DCA001A001010100001").days(4)),
                Action.WARN, "超过急诊处方最多3天", "l1");
        }
    }

    @Nested
    class DrugCount {
        static final String R = "GZ10000202004000";

        T.Q prescriptionWith(int drugs) {
            T.Q r = req();
            for (int i = 1; i <= drugs; i++) {
                r.lines(line("l" + i, "XD01AAA00" + i + "A001010100001").type("DRUG").rx("RX1"));
            }
            return r.lines(line("s1", "001204000060000").type("SERVICE").rx("RX1"));
        }

        @Test
        void sixDrugsOnOnePrescriptionIsOneWarningOverAllItsDrugLines() {
            fires(R, prescriptionWith(6), Action.WARN, "处方RX1开具药品6种，超过每张处方不得超过5种药品的规定",
                "l1", "l2", "l3", "l4", "l5", "l6");
        }

        @Test
        void fiveDrugsPass() {
            quiet(R, prescriptionWith(5));
        }
    }

    @Nested
    class DuplicateDrug {
        static final String R = "LOCAL-DUP-DRUG";

        @Test
        void sameGenericStillCoveredByTheLastPrescriptionIsAWarning() {
            fires(R, req().lines(line("l1", "XC08CAA001A001010100001").drug("苯磺酸氨氯地平片").days(28))
                    .history(line("h1", "XC08CAA001A001010200002").drug("苯磺酸氨氯地平片").at("2025-06-01T09:00:00").days(28)),
                Action.WARN, "苯磺酸氨氯地平片与同一通用名药品用药时间重叠", "l1");
        }

        @Test
        void sameGenericAfterTheLastSupplyRanOutPasses() {
            quiet(R, req().lines(line("l1", "XC08CAA001A001010100001").drug("苯磺酸氨氯地平片").days(28))
                .history(line("h1", "XC08CAA001A001010100001").at("2025-05-10T09:00:00").days(28)));
        }
    }

    @Nested
    class Amount {
        static final String R = "LOCAL-AMOUNT";

        @Test
        void materialAbove1000IsAWarning() {
            fires(R, req().scenario(Scenario.INPATIENT).lines(line("m1", "C0301000000000000001").material("一次性使用吻合器").amount("1001")),
                Action.WARN, "一次性使用吻合器金额1001元，超过单项1000元提醒线", "m1");
        }

        @Test
        void materialAtExactly1000Passes() {
            quiet(R, req().scenario(Scenario.INPATIENT).lines(line("m1", "C0301000000000000001").material("一次性使用吻合器").amount("1000")));
        }
    }

    // ================================================================================ department, companion, dates

    @Nested
    class Department {
        static final String R = "GZ10000102008000";

        @Test
        void occupationalTrainingOrderedByInternalMedicineIsAWarning() {
            fires(R, req().scenario(Scenario.INPATIENT).lines(line("s1", "003402000320000").service("职业功能训练").dept("A03")),
                Action.WARN, "职业功能训练限康复医学科使用，开单科室（A03）不符", "s1");
        }

        @Test
        void occupationalTrainingOrderedByRehabilitationPasses() {
            quiet(R, req().scenario(Scenario.INPATIENT).lines(line("s1", "003402000320000").service("职业功能训练").dept("A21")));
        }
    }

    @Nested
    class Companion {
        static final String R = "LOCAL-COMPANION";

        @Test
        void infusionFeeWithoutAnyDrugThatDayIsAWarning() {
            fires(R, req().stage(Stage.PRE_CHARGE).lines(line("s1", "001204000060000").service("静脉输液")),
                Action.WARN, "静脉输液需与输注药品同日配套收费", "s1");
        }

        @Test
        void infusionFeeWithADrugPasses() {
            quiet(R, req().stage(Stage.PRE_CHARGE).lines(line("s1", "001204000060000").service("静脉输液"))
                .lines(line("l1", "XJ01DCA001B002010100001").drug("注射用头孢呋辛钠")));
        }
    }

    @Nested
    class ChargeDate {
        static final String R = "GZ10000201008000";

        @Test
        void chargeBeforeAdmissionIsBlocked() {
            fires(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT).admitted("2025-06-10T10:00:00")
                    .lines(line("s1", "001109000010000").service("普通病房床位费").at("2025-06-09T08:00:00")),
                Action.BLOCK, "普通病房床位费计费时间2025-06-09T08:00早于入院时间", "s1");
        }

        @Test
        void chargeDuringTheStayPasses() {
            quiet(R, req().stage(Stage.PRE_CHARGE).scenario(Scenario.INPATIENT).admitted("2025-06-10T10:00:00")
                .discharged("2025-06-14T10:00:00")
                .lines(line("s1", "001109000010000").service("普通病房床位费").at("2025-06-14T09:00:00")));
        }
    }

    // ================================================================================ local reminders

    @Nested
    class ChronicDisease {
        static final String R = "LOCAL-CHRONIC";

        @Test
        void goutOnlyPatientGettingMetforminIsAWarning() {
            fires(R, req().chronic("M10.9").lines(line("l1", "XA10BAE001A001010100001").drug("盐酸二甲双胍片")),
                Action.WARN, "盐酸二甲双胍片属于糖尿病门诊慢特病用药，患者未认定该病种", "l1");
        }

        @Test
        void diabetesCertifiedPatientPasses() {
            quiet(R, req().chronic("M10.9", "E11.9").lines(line("l1", "XA10BAE001A001010100001").drug("盐酸二甲双胍片")));
        }
    }

    @Nested
    class FeeGrade {
        static final String R = "LOCAL-FEE-GRADE";

        @Test
        void classBDrugShowsTheSelfPayShare() {
            fires(R, req().lines(line("l1", "XM01AXA267A001010101522").drug("艾拉莫德片")), Action.INFO,
                "艾拉莫德片为医保乙类项目，患者需先行自付10%", "l1");
        }

        @Test
        void classAItemPasses() {
            quiet(R, req().lines(line("s1", "001102000050000").service("住院诊查费")));
        }
    }

    @Nested
    class EncounterShare {
        static final String R = "LOCAL-ENCOUNTER-SHARE";

        @Test
        void outpatientVisitAbove3000IsAWarningOverAllLines() {
            fires(R, req().lines(line("s1", "002104000010000").service("磁共振平扫").amount("2500"))
                    .lines(line("l1", "XC08CAA001A001010100001").drug("苯磺酸氨氯地平片").amount("600")),
                Action.WARN, "本次就诊累计费用3100元：超过次均费用提醒线3000元", "s1", "l1");
        }

        @Test
        void outpatientVisitOf2900Passes() {
            quiet(R, req().lines(line("s1", "002104000010000").service("磁共振平扫").amount("2300"))
                .lines(line("l1", "XC08CAA001A001010100001").drug("苯磺酸氨氯地平片").amount("600")));
        }
    }

    @Nested
    class RepeatExam {
        static final String R = "LOCAL-REPEAT-EXAM";

        @Test
        void ctRepeatedWithin30DaysIsAWarning() {
            fires(R, req().lines(line("s1", "002103000010000").service("X线计算机体层(CT)平扫"))
                    .history(line("h1", "002103000010000").at("2025-05-25T09:00:00")),
                Action.WARN, "距上次同类检查（2025-05-25）仅20天，30天内重复检查", "s1");
        }

        @Test
        void ctAfter31DaysPasses() {
            quiet(R, req().lines(line("s1", "002103000010000").service("X线计算机体层(CT)平扫"))
                .history(line("h1", "002103000010000").at("2025-05-14T09:00:00")));
        }
    }
}
