package com.preaudit.engine;

import static com.preaudit.engine.T.NOW;
import static com.preaudit.engine.T.at;
import static com.preaudit.engine.T.csv;
import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static com.preaudit.engine.T.rule;
import static com.preaudit.engine.T.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.runtime.AuditContext;
import com.preaudit.engine.runtime.ItemTypes;
import com.preaudit.engine.runtime.LineView;
import com.preaudit.engine.runtime.PatternCache;
import com.preaudit.engine.rules.CatalogFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The gates that keep rules from running on requests they cannot match (issue 19: more rule classes must not mean
 * slower audits of lines they don't match): the code gate (a line rule's knowledge set, exact codes and prefixes)
 * and the item-type gate (a line rule's {@code itemTypes}). A gated-out rule is not run at all; a rule whose lines
 * are there still fires, and the gate lists a rule for a line exactly when the rule's own set matches the line.
 */
class GateTest {
    static final KnowledgeSet PREFIXED = csv("prefixed", "kp_id,item_codes,limit\nKP1,A1*,0\n");
    static final KnowledgeSet EXACT = csv("exact", "kp_id,item_codes,limit\nKE1,B1,0\n");
    static final Map<String, KnowledgeSet> SETS = Map.of("prefixed", PREFIXED, "exact", EXACT);

    static CatalogSnapshot threeRules() {
        return snapshot(SETS,
            rule("PREFIX").set("prefixed").when("line.quantity > kp.limit").message("P@{line.itemCode}"),
            rule("EXACT").set("exact").when("line.quantity > kp.limit").message("E@{line.itemCode}"),
            rule("HERB").scope(Scope.LINE).itemTypes("HERB").when("line.quantity > 0").message("H@{line.itemCode}"));
    }

    static CatalogSnapshot.Work work(CatalogSnapshot s, AuditInput in, AuditResult[] result) {
        CatalogSnapshot.Work[] w = new CatalogSnapshot.Work[1];
        result[0] = s.audit(in, at(NOW), w);
        return w[0];
    }

    @Test
    void aLineRuleWithNoLineItCanMatchIsNotRun() {
        AuditResult[] r = new AuditResult[1];
        CatalogSnapshot.Work w = work(threeRules(), req().lines(line("l1", "C1").type("SERVICE"),
            line("l2", "D9").type("DRUG"), line("l3", "B2").type("SERVICE")).build(), r);
        assertEquals(List.of(), r[0].findings());
        assertEquals(List.of(), r[0].skipped());
        assertEquals(new CatalogSnapshot.Work(0, 0, 0), w,
            "no line has a code of either set (A1*, B1) or the herb type: no rule is run, no set probed, nothing evaluated");
    }

    @Test
    void aLineRuleWhoseLinesArePresentStillFiresAndVisitsOnlyThem() {
        AuditResult[] r = new AuditResult[1];
        CatalogSnapshot.Work w = work(threeRules(), req().lines(line("l1", "C1").type("SERVICE"),
            line("l2", "A123").type("SERVICE"), line("l3", "B1").type("SERVICE"), line("l4", "T000000001").type("HERB"),
            line("l5", "A2").type("SERVICE")).build(), r);
        assertEquals(List.of("PREFIX:PA123:[l2]", "EXACT:EB1:[l3]", "HERB:HT000000001:[l4]"), r[0].findings().stream()
            .map(f -> f.ruleCode() + ":" + f.message() + ":" + f.lineIds()).toList());
        assertEquals(new CatalogSnapshot.Work(3, 2, 3), w,
            "each rule runs on its one line only: the prefixed set is probed for A123 alone, the exact set for B1, "
                + "the herb rule evaluates the herb line");
    }

    @Test
    void aLineMatchedByAnExactCodeAndPrefixesIsVisitedOnceInSetOrder() {
        KnowledgeSet set = csv("s", """
            kp_id,item_codes,limit
            K1,A*,9
            K2,A12,0
            K3,A1*,0
            """);
        CatalogSnapshot s = snapshot(Map.of("s", set),
            rule("R").set("s").when("line.quantity > kp.limit").message("超过@{kp.limit}"));
        AuditResult[] r = new AuditResult[1];
        CatalogSnapshot.Work w = work(s, req().lines(line("l1", "A12").qty("5"), line("l2", "B1").qty("5")).build(), r);
        assertEquals(1, r[0].findings().size(), r[0]::toString);
        assertEquals("K2", r[0].findings().get(0).knowledgePointId(), "rows tried in set order, first firing wins");
        assertEquals(List.of("l1"), r[0].findings().get(0).lineIds());
        assertEquals(new CatalogSnapshot.Work(1, 1, 2), w,
            "A12 is listed three times by the gate (A*, A12, A1*) but probed once; K1 then K2 evaluated");
    }

    @Test
    void aSkipForMissingDataIsReportedOnlyWhenTheGateLetsALineThrough() {
        CatalogSnapshot s = snapshot(SETS, rule("INPT").set("prefixed").scenarios(Scenario.INPATIENT)
            .message("@{line.itemCode}"));
        AuditResult matching = s.audit(req().scenario(null).lines(line("l1", "A19")).build(), at(NOW));
        assertEquals(List.of(new Skipped("INPT", "scenario missing", false)), matching.skipped());
        AuditResult other = s.audit(req().scenario(null).lines(line("l1", "B19")).build(), at(NOW));
        assertEquals(List.of(), other.skipped(), "a rule with nothing to look at is not reported as skipped");
    }

    @Test
    void theItemTypeGateReadsTheTypeANationalCodeImplies() {
        AuditResult[] r = new AuditResult[1];
        CatalogSnapshot.Work w = work(threeRules(), req().lines(line("l1", "C1").type("SERVICE"),
            line("l2", "T000000001")).build(), r);
        assertEquals(List.of("HERB:HT000000001:[l2]"), r[0].findings().stream()
            .map(f -> f.ruleCode() + ":" + f.message() + ":" + f.lineIds()).toList(),
            "a line without itemType whose code has the shape of a herb code is a herb line for the filter and the gate");
        assertEquals(new CatalogSnapshot.Work(1, 0, 1), w);
    }

    /**
     * The honesty of the gates over the real catalog: the default rules with every national knowledge file. For
     * every gated rule and every probe code (every code and prefix of every set, each also shortened, lengthened and
     * lower-cased), the code gate lists the rule for the line exactly when the rule's own set yields rows for it;
     * and the item-type gate never keeps a rule from a line type its filter accepts.
     */
    @Test
    void theGatesAgreeWithEveryRulesOwnSetAndFilterOnTheNationalCatalog() {
        Path national = com.preaudit.support.NationalData.dir();
        Map<String, KnowledgeSet> sets = new TreeMap<>(CatalogFiles.loadKnowledge(Path.of("rules-catalog/knowledge")));
        sets.putAll(CatalogFiles.loadKnowledge(national));
        CatalogSnapshot snap = CatalogSnapshot.compile(1, CatalogFiles.loadRules(Path.of("rules-catalog")), sets);

        Set<String> probes = new LinkedHashSet<>();
        for (KnowledgeSet s : sets.values()) {
            for (KnowledgeRow row : s.rows()) {
                for (String c : row.itemCodes()) {
                    String code = c.endsWith("*") ? c.substring(0, c.length() - 1) : c;
                    probes.add(code);
                    probes.add(code + "7");
                    probes.add(code.toLowerCase());
                    for (int cut = 1; cut <= 3 && cut < code.length(); cut++) probes.add(code.substring(0, code.length() - cut));
                }
            }
        }
        List<Line> lines = new ArrayList<>();
        for (String c : probes) lines.add(line("l" + lines.size(), c).build());
        AuditInput in = new AuditInput("gate", null, null, null, null, null, lines, List.of());
        LineView[] req = new AuditContext(in, NOW, new PatternCache()).requestLines();
        CodeGate gate = snap.gate();
        CodeGate.Listing listing = gate.list(req);

        int gated = 0, pairs = 0;
        for (CompiledRule rule : snap.compiledRules()) {
            if (rule.gateSlot < 0) {
                assertTrue(!rule.gateable(), rule.code + " is gateable but has no slot");
                continue;
            }
            gated++;
            BitSet listed = new BitSet(req.length);
            for (int k = listing.start[rule.gateSlot]; k < listing.start[rule.gateSlot + 1]; k++) listed.set(listing.lines[k]);
            for (int i = 0; i < req.length; i++) {
                boolean matches = rule.index.lookup(req[i].getItemCode()).length > 0;
                if (matches) pairs++;
                assertEquals(matches, listed.get(i), rule.code + " for code " + req[i].getItemCode());
            }
        }
        assertTrue(gated >= 60, "most of the catalog's rules are line rules with a set: " + gated);
        assertTrue(pairs > 10_000, "the probes match rules' sets: " + pairs);
        assertTrue(snap.compiledRules().length >= 85);

        String[] types = {"DRUG", "HERB", "SERVICE", "MATERIAL", "OXYGEN", null};
        int typed = 0;
        for (CompiledRule rule : snap.compiledRules()) {
            if (rule.typeGate == 0) continue;
            typed++;
            for (String t : types) {
                LineView l = new AuditContext(new AuditInput("t", null, null, null, null, null,
                    List.of(line("l", "Q1").type(t).build()), List.of()), NOW, new PatternCache()).requestLines()[0];
                if (rule.typeOk(l)) {
                    assertTrue((rule.typeGate & ItemTypes.bit(t)) != 0, rule.code + " type " + t);
                }
            }
        }
        assertTrue(typed >= 4, "line rules with item-type filters: " + typed);
    }
}
