package com.preaudit.engine;

import static com.preaudit.engine.T.NOW;
import static com.preaudit.engine.T.csv;
import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.Values;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.runtime.AuditContext;
import com.preaudit.engine.runtime.Fn;
import com.preaudit.engine.runtime.LineView;
import com.preaudit.engine.runtime.MissingDataException;
import com.preaudit.engine.runtime.PatternCache;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FnTest {
    static final String DRUG_A1 = "XA02BCA123B001010101234";   // ATC A02BC, generic XA02BCA123
    static final String DRUG_A2 = "XA02BCA123B001010109999";   // same generic, other package
    static final String DRUG_B = "XA02BCB456B001010101234";    // same ATC A02BC, other generic
    static final String DRUG_C = "XN02ABF027V002010101389";    // other ATC

    /** One audit: its context, fn, and a way to bind a knowledge row like the engine does. */
    static final class Env {
        final AuditContext ctx;
        final Fn fn;

        Env(AuditInput in) {
            ctx = new AuditContext(in, NOW, new PatternCache());
            fn = ctx.fn();
            ctx.bindRule(null, Values.params(Map.of()));
        }

        LineView line(String id) {
            for (LineView l : ctx.requestLines()) if (l.getId().equals(id)) return l;
            throw new AssertionError("no request line " + id);
        }

        /** Binds the rule's set and the row matching {@code line}, as the engine does before evaluating. */
        Env bind(KnowledgeIndex idx, LineView line) {
            ctx.bindRule(idx, Values.params(Map.of()));
            IndexedRow[] rows = idx.lookup(line.getItemCode());
            ctx.bindLine(line, rows.length == 0 ? null : rows[0]);
            return this;
        }
    }

    static Env env(T.Q q) {
        return new Env(q.build());
    }

    static KnowledgeIndex index(String csv) {
        return KnowledgeIndex.build(csv("s", csv), new ArrayList<>());
    }

    static List<String> ids(List<LineView> ls) {
        return ls.stream().map(LineView::getId).toList();
    }

    // ------------------------------------------------------------------------------------------ codes

    @Test
    void hasDiagnosisAndDiagnosisMatching() {
        Fn fn = env(req().dx("J18.900", "M10.001", "O80.101")).fn;
        assertTrue(fn.hasDiagnosis("M10"));
        assertTrue(fn.hasDiagnosis("E11*|M10*"));
        assertTrue(fn.hasDiagnosis("m10"), "case-insensitive");
        assertTrue(fn.hasDiagnosis("O00-O9A"), "range on the first 3 characters");
        assertFalse(fn.hasDiagnosis("P00-P96|E11"));
        assertFalse(fn.hasDiagnosis(null));
        assertEquals("M10.001", fn.diagnosisMatching("E11|M10|O8*"), "first in encounter order");
        assertNull(fn.diagnosisMatching("E11"));
        MissingDataException e = assertThrows(MissingDataException.class, () -> env(req()).fn.hasDiagnosis("M10"));
        assertEquals("no diagnosis on the encounter", e.reason());
    }

    @Test
    void codeMatchesAndAnyMatches() {
        Fn fn = env(req()).fn;
        assertTrue(fn.codeMatches(DRUG_A1, "XA02*"));
        assertTrue(fn.codeMatches("N40.x00", "N40-N53"));
        assertFalse(fn.codeMatches("N54.0", "N40-N53"));
        assertFalse(fn.codeMatches(DRUG_A1, "XB"));
        assertFalse(fn.codeMatches(null, "X"));
        assertTrue(fn.anyMatches(List.of("M10.9", "E11.900"), "E11*"));
        assertFalse(fn.anyMatches(List.of("M10.9"), "E11*"));
        assertFalse(fn.anyMatches(null, "E11*"));
    }

    @Test
    void inList() {
        Fn fn = env(req()).fn;
        assertTrue(fn.inList("INPATIENT|EMERGENCY", "EMERGENCY"));
        assertTrue(fn.inList(" INPATIENT | EMERGENCY ", "INPATIENT"), "entries are trimmed");
        assertTrue(fn.inList("1|2|3", 2), "value by its text");
        assertFalse(fn.inList("INPATIENT|EMERGENCY", "OUTPATIENT"));
        assertFalse(fn.inList("INPATIENT", "INPAT"));
        assertFalse(fn.inList(null, "X"));
        assertFalse(fn.inList("A", null));
    }

    @Test
    void atcAndGeneric() {
        Fn fn = env(req()).fn;
        assertEquals("A02BC", fn.atc(DRUG_A1));
        assertEquals("XA02BCA123", fn.generic(DRUG_A1));
        assertNull(fn.atc("X12"));
        assertNull(fn.generic("XA02BC"));
        assertNull(fn.atc(null));
    }

    // ------------------------------------------------------------------------------------------ age

    @Test
    void ageAtTheLineDate() {
        Env e = env(req().birth("1980-06-15").lines(line("1", "X").at("2025-06-15T08:00"),
            line("2", "X").at("2025-06-14T23:00"), line("3", "X")));
        assertEquals(45, e.fn.ageYears(e.line("1")));
        assertEquals(44, e.fn.ageYears(e.line("2")));
        assertEquals(44, e.fn.ageYears(e.line("3")), "no orderedAt: the audit date 2025-06-14");
        assertEquals(44, e.fn.ageYears(null), "no line: the audit date");
        Env baby = env(req().birth("2025-06-01").lines(line("1", "X").at("2025-06-14T08:00")));
        assertEquals(13, baby.fn.ageDays(baby.line("1")));
        assertEquals(0, baby.fn.ageYears(baby.line("1")));
        Env unknown = env(req().birth(null).lines(line("1", "X")));
        assertEquals("patient.birthDate missing",
            assertThrows(MissingDataException.class, () -> unknown.fn.ageYears(unknown.line("1"))).reason());
        assertThrows(MissingDataException.class, () -> unknown.fn.ageDays(null));
    }

    // ------------------------------------------------------------------------------------------ windows

    /** A pair row A|B; history and request lines of both codes at various times. */
    static Env usage() {
        return env(req().lines(
                line("r1", "A").at("2025-06-14T10:30").qty("2"),
                line("r2", "B").at("2025-06-14T11:00").qty("1"),
                line("r3", "C").at("2025-06-14T10:00").qty("9"))
            .history(
                line("h1", "A").at("2025-06-14T10:05").qty("1"),      // same hour
                line("h2", "A").at("2025-06-14T08:00").qty("1"),      // same day
                line("h3", "B").at("2025-06-10T08:00").qty("1"),      // same month, last 7 days
                line("h4", "A").at("2025-05-20T08:00").qty("1").enc("OLD"),   // same quarter, other encounter
                line("h5", "A").at("2025-02-01T08:00").qty("1"),      // same year
                line("h6", "A").at("2024-12-31T08:00").qty("1"),      // last year
                line("r1", "A").at("2025-06-14T10:30").qty("2")));    // duplicate of a request line: ignored
    }

    @Test
    void quantityInWindowsOverMatchingLines() {
        Env e = usage();
        KnowledgeIndex pair = index("kp_id,item_codes\nP1,A|B\n");
        LineView r1 = e.line("r1");
        e.bind(pair, r1);
        // matching lines: r1 2, r2 1, h1 … h6 1 each (h4 in another encounter, h6 last year); r1's history copy dropped
        assertEquals(new BigDecimal("3"), e.fn.quantityIn(r1, "HOUR"));      // r1, h1 (r2 is 11:00)
        assertEquals(new BigDecimal("5"), e.fn.quantityIn(r1, "DAY"));       // + r2, h2
        assertEquals(new BigDecimal("6"), e.fn.quantityIn(r1, "MONTH"));     // + h3
        assertEquals(new BigDecimal("7"), e.fn.quantityIn(r1, "QUARTER"));   // + h4
        assertEquals(new BigDecimal("8"), e.fn.quantityIn(r1, "YEAR"));      // + h5
        assertEquals(new BigDecimal("8"), e.fn.quantityIn(r1, "INSURANCE_YEAR"));
        assertEquals(new BigDecimal("8"), e.fn.quantityIn(r1, "ENCOUNTER"));  // all but h4
        assertThrows(IllegalArgumentException.class, () -> e.fn.quantityIn(r1, "WEEK"));
        // without a knowledge row only the line's own code counts
        e.ctx.bindRule(null, Values.params(Map.of()));
        e.ctx.bindLine(r1, null);
        assertEquals(new BigDecimal("4"), e.fn.quantityIn(r1, "DAY"));       // r1 2, h1 1, h2 1
        assertEquals(new BigDecimal("9"), e.fn.quantityIn(e.line("r3"), "DAY"));
    }

    @Test
    void quantityLastDays() {
        Env e = usage();
        e.bind(index("kp_id,item_codes\nP1,A|B\n"), e.line("r1"));
        LineView r1 = e.line("r1");
        assertEquals(new BigDecimal("4"), e.fn.quantityLastDays(r1, 1));    // h1, h2, r1 (r2 is later than r1)
        assertEquals(new BigDecimal("5"), e.fn.quantityLastDays(r1, 7));    // + h3 (2025-06-10 08:00)
        assertEquals(BigDecimal.ZERO, e.fn.quantityLastDays(r1, 0));        // (t, t] is empty
    }

    // ------------------------------------------------------------------------------------------ course of use

    static Env course() {
        return env(req().lines(line("r1", "A").at("2025-06-10T09:00").days(1), line("x", "Z").at("2025-06-10T09:00"))
            .history(line("h1", "A").at("2025-06-01T09:00").days(3),
                line("h2", "A").at("2025-06-02T09:00").days(2),
                line("h3", "A").at("2025-06-12T09:00").days(1)));   // after the line: not "before"
    }

    @Test
    void distinctDaysCoveredByMatchingLines() {
        Env e = course();
        e.ctx.bindLine(e.line("r1"), null);
        assertEquals(5, e.fn.distinctDays(e.line("r1")));    // 1,2,3 June + 10 + 12 June
        assertEquals(1, e.fn.distinctDays(e.line("x")));
    }

    @Test
    void firstAndLastUse() {
        Env e = course();
        LineView r1 = e.line("r1"), x = e.line("x");
        assertEquals(LocalDate.of(2025, 6, 1), e.fn.firstUseDate(r1));
        assertEquals(LocalDate.of(2025, 6, 2), e.fn.lastUseDate(r1));
        assertEquals(9, e.fn.daysSinceFirstUse(r1));
        assertEquals(8, e.fn.daysSinceLastUse(r1));
        assertNull(e.fn.firstUseDate(x));
        assertNull(e.fn.lastUseDate(x));
        assertEquals(0, e.fn.daysSinceFirstUse(x));
        assertEquals(-1, e.fn.daysSinceLastUse(x));
    }

    // ------------------------------------------------------------------------------------------ same day

    @Test
    void sameDayLinesAndCodes() {
        Env e = usage();
        LineView r1 = e.line("r1");
        assertEquals(List.of("h1", "h2", "r2", "r3"), ids(e.fn.sameDayLines(r1)).stream().sorted().toList());
        assertTrue(e.fn.sameDayHasCode(r1, "C|Q*"));
        assertFalse(e.fn.sameDayHasCode(r1, "Q*"));
        assertFalse(e.fn.sameDayHasCode(e.line("r3"), "C"), "the line itself does not count");
    }

    @Test
    void pairChargedEarlierSameDay() {
        KnowledgeIndex pair = index("kp_id,item_codes\nP1,A|B\n");
        Env e = env(req().lines(line("a", "A").at("2025-06-14T09:00"), line("b", "B").at("2025-06-14T10:00")));
        assertTrue(e.bind(pair, e.line("b")).fn.pairChargedEarlierSameDay(e.line("b")));
        assertFalse(e.bind(pair, e.line("a")).fn.pairChargedEarlierSameDay(e.line("a")));
        Env sameTime = env(req().lines(line("a", "A").at("2025-06-14T09:00"), line("b", "B").at("2025-06-14T09:00")));
        assertTrue(sameTime.bind(pair, sameTime.line("b")).fn.pairChargedEarlierSameDay(sameTime.line("b")),
            "same time: by position");
        assertFalse(sameTime.bind(pair, sameTime.line("a")).fn.pairChargedEarlierSameDay(sameTime.line("a")));
        Env hist = env(req().lines(line("a", "A").at("2025-06-14T09:00"))
            .history(line("hb", "B").at("2025-06-14T18:00"), line("old", "B").at("2025-06-13T09:00")));
        assertTrue(hist.bind(pair, hist.line("a")).fn.pairChargedEarlierSameDay(hist.line("a")),
            "already charged today (history)");
        Env none = env(req().lines(line("a", "A").at("2025-06-14T09:00"))
            .history(line("old", "B").at("2025-06-13T09:00")));
        assertFalse(none.bind(pair, none.line("a")).fn.pairChargedEarlierSameDay(none.line("a")));
        assertThrows(IllegalArgumentException.class, () -> {
            none.ctx.bindLine(none.line("a"), null);
            none.fn.pairChargedEarlierSameDay(none.line("a"));
        });
    }

    @Test
    void sameGroupEarlierSameDay() {
        KnowledgeIndex groups = index("kp_id,item_codes,group\nG1,S1,胃肠\nG2,S2,胃肠\nG3,S3,肝胆\n");
        Env e = env(req().lines(line("1", "S1").at("2025-06-14T09:00"), line("2", "S2").at("2025-06-14T10:00"),
            line("3", "S3").at("2025-06-14T11:00"), line("4", "S2").at("2025-06-15T09:00")));
        assertEquals(1, e.bind(groups, e.line("2")).fn.sameGroupEarlierSameDay(e.line("2"), "group"));
        assertEquals(0, e.bind(groups, e.line("1")).fn.sameGroupEarlierSameDay(e.line("1"), "group"));
        assertEquals(0, e.bind(groups, e.line("3")).fn.sameGroupEarlierSameDay(e.line("3"), "group"));
        assertEquals(0, e.bind(groups, e.line("4")).fn.sameGroupEarlierSameDay(e.line("4"), "group"));
        assertEquals(0, e.bind(groups, e.line("2")).fn.sameGroupEarlierSameDay(e.line("2"), "nosuch"));
    }

    // ------------------------------------------------------------------------------------------ drugs

    @Test
    void sameGenericAndSameAtcOverlap() {
        Env e = env(req().lines(
                line("1", DRUG_A1).type("DRUG").at("2025-06-14T09:00").days(7),
                line("2", DRUG_C).type("DRUG").at("2025-06-14T09:00").days(7))
            .history(line("h1", DRUG_A2).type("DRUG").at("2025-06-10T09:00").days(5),     // 10..14 June: overlaps
                line("h2", DRUG_B).type("DRUG").at("2025-06-20T09:00").days(3),           // 20..22 June: overlaps 1
                line("h3", DRUG_C).type("DRUG").at("2025-05-01T09:00").days(3)));         // long before
        assertTrue(e.fn.sameGenericOverlap(e.line("1")));
        assertTrue(e.fn.sameAtcOverlap(e.line("1")));
        assertFalse(e.fn.sameGenericOverlap(e.line("2")));
        assertFalse(e.fn.sameAtcOverlap(e.line("2")));
        Env apart = env(req().lines(line("1", DRUG_A1).type("DRUG").at("2025-06-14T09:00").days(1))
            .history(line("h1", DRUG_A2).type("DRUG").at("2025-06-10T09:00").days(4)));    // 10..13 June
        assertFalse(apart.fn.sameGenericOverlap(apart.line("1")));
        assertFalse(apart.fn.sameAtcOverlap(apart.line("1")), "same generic is not 'same ATC, other generic'");
    }

    @Test
    void historyHasOtherAtcDrug() {
        Env yes = env(req().lines(line("1", DRUG_A1).type("DRUG"))
            .history(line("h", DRUG_B).at("2025-01-01T09:00")));   // itemType inferred from the code shape
        assertTrue(yes.fn.historyHasOtherAtcDrug(yes.line("1")));
        Env requestOnly = env(req().lines(line("1", DRUG_A1).type("DRUG"), line("2", DRUG_B).type("DRUG"))
            .history(line("h", DRUG_A2).type("DRUG"), line("s", "S1").type("SERVICE")));
        assertFalse(requestOnly.fn.historyHasOtherAtcDrug(requestOnly.line("1")));
    }

    // ------------------------------------------------------------------------------------------ prescriptions

    @Test
    void prescriptionFunctions() {
        KnowledgeIndex herbs = index("kp_id,item_codes\nH1,T000700200\nH2,T001700643\n");
        Env e = env(req().lines(
            line("1", DRUG_A1).type("DRUG").rx("P1"), line("2", DRUG_A1).type("DRUG").rx("P1"),
            line("3", DRUG_C).type("DRUG").rx("P1"), line("4", "S1").type("SERVICE").rx("P1"),
            line("5", "T000700200").type("HERB").rx("P2"), line("6", "T001700643").type("HERB").rx("P2"),
            line("7", "T000700200").type("HERB").rx("P3"), line("8", "T999999999").type("HERB").rx("P3"),
            line("9", DRUG_C).type("DRUG")));
        assertEquals(List.of("1", "2", "3", "4"), ids(e.fn.prescriptionLines(e.line("3"))));
        assertEquals(List.of("9"), ids(e.fn.prescriptionLines(e.line("9"))));
        assertEquals(List.of(DRUG_A1, DRUG_C), e.fn.drugsInPrescription(e.line("1")));
        assertEquals(List.of(), e.fn.drugsInPrescription(e.line("5")));
        assertTrue(e.bind(herbs, e.line("5")).fn.allHerbsOfPrescriptionInSet(e.line("5")));
        assertFalse(e.bind(herbs, e.line("7")).fn.allHerbsOfPrescriptionInSet(e.line("7")));
        assertFalse(e.bind(herbs, e.line("9")).fn.allHerbsOfPrescriptionInSet(e.line("9")), "no herb at all");
        e.ctx.bindRule(null, Values.params(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> e.fn.allHerbsOfPrescriptionInSet(e.line("5")));
    }

    // ------------------------------------------------------------------------------------------ amounts

    @Test
    void totals() {
        Env e = env(req().lines(line("1", DRUG_A1).type("DRUG").amount("100"),
                line("2", "S1").type("SERVICE").amount("50").selfPay(true), line("3", "C1").type("MATERIAL"))
            .history(line("h1", "T000700200").type("HERB").amount("20"),
                line("h2", DRUG_C).type("DRUG").amount("30").enc("E1").selfPay(true),
                line("h3", DRUG_C).type("DRUG").amount("1000").enc("OTHER"),
                line("1", DRUG_A1).type("DRUG").amount("100")));   // same id as a request line: counted once
        assertEquals(new BigDecimal("200"), e.fn.encounterTotal());
        assertEquals(new BigDecimal("150"), e.fn.encounterTotalOfTypes("DRUG|HERB"));
        assertEquals(new BigDecimal("0"), e.fn.encounterTotalOfTypes("MATERIAL"));
        assertEquals(new BigDecimal("80"), e.fn.encounterSelfPayTotal());
        assertEquals(new BigDecimal("150"), e.fn.requestTotal());
        Env empty = env(req());
        assertEquals(BigDecimal.ZERO, empty.fn.encounterTotal());
        assertEquals(BigDecimal.ZERO, empty.fn.requestTotal());
        assertEquals(BigDecimal.ZERO, empty.fn.encounterSelfPayTotal());
    }

    // ------------------------------------------------------------------------------------------ dates, numbers

    @Test
    void datesAndNumbers() {
        Env e = env(req().lines(line("1", "X").at("2025-06-01T23:00"), line("2", "X")));
        assertEquals(LocalDate.of(2025, 6, 1), e.fn.lineDate(e.line("1")));
        assertEquals(NOW.toLocalDate(), e.fn.lineDate(e.line("2")));
        assertNull(e.fn.lineDate(null));
        assertEquals(13, e.fn.daysBetween(LocalDate.of(2025, 6, 1), NOW));
        assertEquals(-13, e.fn.daysBetween(NOW, e.line("1")));
        assertNull(e.fn.daysBetween(null, NOW));
        LocalDateTime a = LocalDateTime.of(2025, 6, 1, 9, 0), b = LocalDateTime.of(2025, 6, 1, 10, 0);
        assertTrue(e.fn.isBefore(a, b));
        assertFalse(e.fn.isBefore(b, a));
        assertTrue(e.fn.isAfter(b, a));
        assertFalse(e.fn.isAfter(a, a));
        assertTrue(e.fn.isBefore(LocalDate.of(2025, 5, 31), a));
        assertFalse(e.fn.isBefore(null, a));
        assertFalse(e.fn.isAfter(a, null));
        assertEquals(new BigDecimal("1.5"), e.fn.dec("1.5"));
        assertEquals(new BigDecimal("3"), e.fn.dec(3));
        assertEquals(new BigDecimal("0.25"), e.fn.dec(new BigDecimal("0.25")));
        assertNull(e.fn.dec("abc"));
        assertNull(e.fn.dec(null));
    }

    @Test
    void lineFunctionsNeedALine() {
        Fn fn = env(req()).fn;
        assertThrows(IllegalArgumentException.class, () -> fn.quantityIn(null, "DAY"));
        assertThrows(IllegalArgumentException.class, () -> fn.distinctDays("not a line"));
    }

    /**
     * A long history of many codes: each line's history functions see only its own code's lines, so
     * the answers equal those computed with every other code's lines left out. (Their cost per line is
     * measured by OrderScaleBench, not timed here.)
     */
    @Test
    void largeHistoryAnswersAsIfOnlyTheLinesOwnCodeWereThere() {
        T.Q all = req();
        for (int i = 0; i < 1000; i++) {
            all.history(line("h" + i, "S" + (i % 50)).at(LocalDateTime.of(2025, 1, 1, 8, 0).plusHours(i * 7L).toString()));
        }
        for (int i = 0; i < 100; i++) all.lines(line("r" + i, "S" + (i % 50)).at("2025-06-14T09:00"));
        Env big = new Env(all.build());
        int compared = 0;
        for (int c = 0; c < 50; c++) {
            T.Q one = req();
            for (int i = c; i < 1000; i += 50) {
                one.history(line("h" + i, "S" + c).at(LocalDateTime.of(2025, 1, 1, 8, 0).plusHours(i * 7L).toString()));
            }
            for (int i = c; i < 100; i += 50) one.lines(line("r" + i, "S" + c).at("2025-06-14T09:00"));
            Env alone = new Env(one.build());
            for (LineView l : alone.ctx.requestLines()) {
                LineView same = big.line(l.getId());
                big.ctx.bindLine(same, null);
                alone.ctx.bindLine(l, null);
                assertEquals(alone.fn.quantityIn(l, "MONTH"), big.fn.quantityIn(same, "MONTH"), l.getId());
                assertEquals(alone.fn.quantityLastDays(l, 90), big.fn.quantityLastDays(same, 90), l.getId());
                assertEquals(alone.fn.distinctDays(l), big.fn.distinctDays(same), l.getId());
                assertEquals(alone.fn.daysSinceLastUse(l), big.fn.daysSinceLastUse(same), l.getId());
                assertEquals(alone.fn.daysSinceFirstUse(l), big.fn.daysSinceFirstUse(same), l.getId());
                compared++;
            }
        }
        assertEquals(100, compared);
        // and the history is really there: every code has 20 earlier lines over five months
        LineView r0 = big.line("r0");
        big.ctx.bindLine(r0, null);
        assertTrue(big.fn.distinctDays(r0) > 1, "distinct days of r0: " + big.fn.distinctDays(r0));
    }
}
