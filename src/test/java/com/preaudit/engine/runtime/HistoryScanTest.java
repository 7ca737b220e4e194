package com.preaudit.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditContext} answers the first lookups by code / generic / ATC class with a scan of all lines and builds
 * its hash index only after {@link AuditContext#SCANS_BEFORE_INDEX} of them: both ways must give the same lines in
 * the same order.
 */
class HistoryScanTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 15, 0);
    // drug codes: generic = first 10 chars, ATC = chars 2-6; the last two share the ATC class with another generic
    private static final String[] CODES = {
        "XN02BEA123A001010100001", "XN02BEA123A001010100002", "XN02BEB456A001010100001", "XA10BAB789A001010100001",
        "S001", "S002", "XN02", "", "XN02BEA123", "XN02BE"};

    private static AuditContext context() {
        List<Line> lines = new ArrayList<>(), history = new ArrayList<>();
        int n = 0;
        for (int day = 0; day < 4; day++) {
            for (int i = 0; i < CODES.length; i++) {
                String code = CODES[(i + day) % CODES.length];
                String type = code.startsWith("X") ? "DRUG" : "SERVICE";
                Line l = new Line("L" + n, code, null, type, BigDecimal.ONE, null, null,
                    null, NOW.minusDays(day).minusHours(i), 1 + i % 3, null, null, null, null, null, null, null);
                (day == 0 && i % 2 == 0 ? lines : history).add(l);
                n++;
            }
        }
        history.add(new Line("L3", "S001", null, "SERVICE", BigDecimal.ONE, null, null, null, NOW, null, null, null,
            null, null, null, null, null));   // same id as a request line: the request copy wins
        AuditInput in = new AuditInput("r", Stage.PRE_ORDER, Scenario.INPATIENT, new Hospital("H", 2),
            new Patient("P", "M", LocalDate.of(1960, 1, 1), "EMPLOYEE", null, null),
            new Encounter("E", null, null, null, null, List.of()), lines, history);
        return new AuditContext(in, NOW, new PatternCache());
    }

    @Test
    void scansAndIndexesGiveTheSameLines() {
        AuditContext ctx = context();
        List<String> keys = new ArrayList<>(List.of(CODES));
        keys.add("NOPE");
        // round 0 is answered by scans, later rounds by the indexes
        List<List<LineView[]>> rounds = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<LineView[]> got = new ArrayList<>();
            for (int rep = 0; rep <= AuditContext.SCANS_BEFORE_INDEX / keys.size() + 1; rep++) {
                for (String k : keys) {
                    got.add(ctx.withCode(k));
                    got.add(ctx.drugsOfGeneric(Fn.genericOf(k)));
                    got.add(ctx.drugsOfAtc(Fn.atcOf(k)));
                }
            }
            rounds.add(got);
        }
        assertEquals(rounds.get(0).size(), rounds.get(2).size());
        for (int i = 0; i < rounds.get(0).size(); i++) {
            assertArrayEquals(rounds.get(0).get(i), rounds.get(2).get(i), "lookup " + i);
            for (int j = 1; j < rounds.get(0).get(i).length; j++) {
                assertTrue(rounds.get(0).get(i)[j - 1].seq < rounds.get(0).get(i)[j].seq, "seq order");
            }
        }
        // every day has each code once: 3 codes of that generic; 5 of that ATC class (incl. the 6-char code)
        assertEquals(12, ctx.drugsOfGeneric("XN02BEA123").length);
        assertEquals(20, ctx.drugsOfAtc("N02BE").length);
    }

    private static List<String> describe(LineView[] ls) {
        List<String> out = new ArrayList<>();
        for (LineView l : ls) out.add(l.getId() + "@" + l.seq);
        return out;
    }

    @Test
    void matchingRowByScanEqualsMatchingRowByIndex() {
        KnowledgeSet set = new KnowledgeSet("s", List.of("kp_id", "item_codes"), List.of(
            new KnowledgeRow("a", List.of("S001", "XN02BEA123A001010100002"), Map.of()),
            new KnowledgeRow("b", List.of("XN02BE*"), Map.of()),
            new KnowledgeRow("c", List.of("S002", "S*"), Map.of()),
            new KnowledgeRow("d", List.of("ZZZ"), Map.of())));
        List<String> problems = new ArrayList<>();
        KnowledgeIndex idx = KnowledgeIndex.build(set, problems);
        assertEquals(List.of(), problems);
        List<IndexedRow> rows = new ArrayList<>();
        for (String c : List.of("S001", "XN02BEB456A001010100001", "S002", "ZZZ")) rows.addAll(List.of(idx.lookup(c)));
        AuditContext scanned = context(), indexed = context();
        // use up the scans of the second context so that it answers from the code index
        for (int i = 0; i <= AuditContext.SCANS_BEFORE_INDEX; i++) indexed.withCode("S001");
        assertEquals(5, rows.size());   // S001: a and c (S*); XN02BEB456…: b; S002: c; ZZZ: d
        for (IndexedRow r : rows) {
            // two contexts of the same input: compare the lines by id and position
            assertEquals(describe(indexed.matchingRow(r)), describe(scanned.matchingRow(r)), r.kpId());
        }
    }
}
