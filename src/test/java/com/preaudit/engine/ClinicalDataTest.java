package com.preaudit.engine;

import static com.preaudit.engine.T.NOW;
import static com.preaudit.engine.T.at;
import static com.preaudit.engine.T.lineRule;
import static com.preaudit.engine.T.rule;
import static com.preaudit.engine.T.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.Procedure;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.runtime.Dosing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The round-two clinical request data as rules read it, and the skip when a request lacks it. */
class ClinicalDataTest {

    private static Line drug(String id, String code, String dose, String unit, String freq, String route, String title,
                             Integer level, String fee) {
        return new Line(id, code, "药" + id, "DRUG", BigDecimal.ONE, null, null, BigDecimal.TEN, NOW.minusHours(1), 1, null,
            null, "RX1", null, null, null, null, dose == null ? null : new BigDecimal(dose), unit, freq, null, route, title,
            level, fee);
    }

    private static AuditInput input(String gender, String pregnancy, List<Procedure> procedures, String encTitle,
                                    Integer encLevel, Line... lines) {
        return new AuditInput("r", Stage.PRE_ORDER, Scenario.INPATIENT, new Hospital("H", 3),
            new Patient("P", gender, LocalDate.of(1980, 1, 1), "EMPLOYEE", pregnancy, List.of()),
            new Encounter("E", null, null, "D", "DOC", List.of(new Diagnosis("K35.800", "阑尾炎", true)), procedures,
                encTitle, encLevel),
            List.of(lines), List.of());
    }

    private static List<String> fired(CatalogSnapshot s, AuditInput in) {
        return s.audit(in, at(NOW)).findings().stream().map(f -> f.ruleCode() + ":" + String.join(",", f.lineIds())).toList();
    }

    private static List<String> skipped(CatalogSnapshot s, AuditInput in) {
        return s.audit(in, at(NOW)).skipped().stream().map(k -> k.ruleCode() + ":" + k.reason()).toList();
    }

    @Test
    void doseFrequencyAndUnitConversion() {
        CatalogSnapshot s = snapshot(Map.of(),
            lineRule("DAILY", "fn.dailyDoseIn(line, 'g') > 2"),
            lineRule("SINGLE", "fn.doseIn(line, 'mg') > 1000"),
            lineRule("ROUTE", "line.route == 'IV'"));
        // 0.6 g TID = 1.8 g a day; 600 mg QID = 2.4 g; 1.5 g once = 1500 mg
        AuditInput in = input("F", "NONE", null, null, null,
            drug("a", "X1", "0.6", "g", "TID", "PO", null, null, null),
            drug("b", "X2", "600", "mg", "qid", "IV", null, null, null),
            drug("c", "X3", "1.5", "g", "ST", "PO", null, null, null),
            drug("d", "X4", "2", "片", "BID", "PO", null, null, null));
        assertEquals(List.of("DAILY:b", "SINGLE:c", "ROUTE:b"), fired(s, in));
        assertEquals(List.of("DAILY:line.doseUnit '片' does not convert to 'g'",
            "SINGLE:line.doseUnit '片' does not convert to 'mg'"), skipped(s, in));
    }

    @Test
    void aRequestWithoutTheDataSkipsTheRuleOnceWithoutEvaluatingIt() {
        CatalogSnapshot s = snapshot(Map.of(),
            lineRule("DOSE", "line.dose > 1"),
            lineRule("FEE", "line.feeCategory != patient.insuranceType"),
            lineRule("AB", "line.antibioticLevel < 3"),
            lineRule("PREG", "patient.pregnancy == 'PREGNANT'"),
            rule("OP").scope(Scope.ORDER).when("fn.hasProcedure('47*')"));
        AuditInput bare = input("F", null, null, null, null,
            drug("a", "X1", null, null, null, null, null, null, null),
            drug("b", "X2", null, null, null, null, null, null, null));
        assertEquals(List.of(), fired(s, bare));
        assertEquals(List.of("DOSE:line.dose missing", "FEE:line.feeCategory missing",
            "AB:the doctor's antibiotic privilege (antibioticLevel or doctorTitle) missing",
            "PREG:patient.pregnancy missing", "OP:encounter.procedures missing"), skipped(s, bare));
    }

    @Test
    void dataOnSomeLinesDecidesThoseAndSkipsTheOthers() {
        CatalogSnapshot s = snapshot(Map.of(),
            lineRule("FEE", "line.feeCategory != patient.insuranceType"));
        AuditInput in = input("F", "NONE", null, null, null,
            drug("a", "X1", null, null, null, null, null, null, "RESIDENT"),
            drug("b", "X2", null, null, null, null, null, null, null),
            drug("c", "X3", null, null, null, null, null, null, "EMPLOYEE"));
        assertEquals(List.of("FEE:a"), fired(s, in));
        assertEquals(List.of("FEE:line.feeCategory missing"), skipped(s, in));
    }

    @Test
    void antibioticPrivilegeComesFromTheLineTheEncounterOrTheTitle() {
        CatalogSnapshot s = snapshot(Map.of(), lineRule("AB", "line.antibioticLevel < 3"));
        // line level wins; else the encounter's level; else the highest tier the title can be granted
        assertEquals(List.of("AB:a"), fired(s, input("F", "NONE", null, "CHIEF", 3,
            drug("a", "X1", null, null, null, null, null, 2, null))));
        assertEquals(List.of(), fired(s, input("F", "NONE", null, null, 3,
            drug("a", "X1", null, null, null, null, null, null, null))));
        assertEquals(List.of("AB:a"), fired(s, input("F", "NONE", null, "ATTENDING", null,
            drug("a", "X1", null, null, null, null, null, null, null))));
        assertEquals(List.of(), fired(s, input("F", "NONE", null, null, null,
            drug("a", "X1", null, null, null, null, "ASSOCIATE_CHIEF", null, null))));
    }

    @Test
    void pregnancyOfAManIsNoneAndOfAWomanMustBeSent() {
        CatalogSnapshot s = snapshot(Map.of(), lineRule("PREG", "patient.pregnancy != 'NONE'"));
        Line l = drug("a", "X1", null, null, null, null, null, null, null);
        assertEquals(List.of(), fired(s, input("M", null, null, null, null, l)));
        assertEquals(List.of(), skipped(s, input("M", null, null, null, null, l)));
        assertEquals(List.of("PREG:patient.pregnancy missing"), skipped(s, input("F", null, null, null, null, l)));
        assertEquals(List.of("PREG:a"), fired(s, input("F", "LACTATING", null, null, null, l)));
    }

    @Test
    void proceduresAndHoursSinceTheOperation() {
        CatalogSnapshot s = snapshot(Map.of(),
            rule("OP").scope(Scope.ORDER).when("fn.hasProcedure('47.0*')").message("@{fn.procedureMatching('47.0*')}"),
            lineRule("H", "fn.hoursSinceProcedure(line, null) > 24"),
            rule("CODES").scope(Scope.ORDER).when("encounter.procedureCodes.size() == 0"));
        Line l = drug("a", "X1", null, null, null, null, null, null, null);   // ordered NOW - 1h
        LocalDateTime op = NOW.minusHours(30);
        assertEquals(List.of("OP:a", "H:a"), fired(s, input("F", "NONE",
            List.of(new Procedure("47.0901", "阑尾切除术", op, true)), null, null, l)));
        assertEquals(List.of("OP:a"), fired(s, input("F", "NONE",
            List.of(new Procedure("47.0901", "阑尾切除术", NOW.minusHours(10), true)), null, null, l)));
        assertEquals(List.of("CODES:a"), fired(s, input("F", "NONE", List.of(), null, null, l)),
            "an empty list means no procedures, not missing data");
        assertEquals(List.of("H:encounter.procedures[].at missing"), skipped(s, input("F", "NONE",
            List.of(new Procedure("47.0901", null, null, null)), null, null, l)));
    }

    @Test
    void frequencies() {
        assertEquals(0, new BigDecimal("3").compareTo(Dosing.timesPerDay("tid")));
        assertEquals(0, new BigDecimal("3").compareTo(Dosing.timesPerDay("每日三次")));
        assertEquals(0, new BigDecimal("2").compareTo(Dosing.timesPerDay("Q12H")));
        assertEquals(0, new BigDecimal("6").compareTo(Dosing.timesPerDay("q4h")));
        assertEquals(0, new BigDecimal("0.5").compareTo(Dosing.timesPerDay("QOD")));
        assertEquals(null, Dosing.timesPerDay("PRN"));
        assertTrue(Dosing.convert(new BigDecimal("500"), "mg", "g").compareTo(new BigDecimal("0.5")) == 0);
        assertEquals(null, Dosing.convert(BigDecimal.ONE, "ml", "mg"));
    }
}
