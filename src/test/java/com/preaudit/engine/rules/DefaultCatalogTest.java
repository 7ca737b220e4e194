package com.preaudit.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.preaudit.engine.CatalogCompileException;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Problem;
import com.preaudit.engine.RuleValidator;
import com.preaudit.engine.TestFailure;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.ExpectedFinding;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.RuleTest;
import com.preaudit.engine.model.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped rules-catalog/ loads, validates, compiles, and every rule passes its own tests. */
class DefaultCatalogTest {
    static List<RuleDefinition> rules;
    static Map<String, KnowledgeSet> sets;

    @BeforeAll
    static void load() {
        Path dir = CatalogFiles.catalogDir();
        rules = CatalogFiles.loadRules(dir);
        sets = CatalogFiles.loadKnowledge(dir.resolve("knowledge"));
    }

    @Test
    void catalogYamlHasNameDescriptionAndEffectiveDate() {
        Map<String, Object> c = CatalogFiles.catalogYaml(CatalogFiles.catalogDir());
        assertNotNull(c.get("name"));
        assertNotNull(c.get("description"));
        assertEquals("2025-01-01", String.valueOf(c.get("effectiveFrom")));
    }

    @Test
    void everySection7RuleClassIsPresentWithItsNameAndKnowledgeSet() {
        Map<String, RuleDefinition> byCode = rules.stream()
            .collect(Collectors.toMap(RuleDefinition::code, r -> r));
        assertEquals(rules.size(), byCode.size(), "duplicate rule codes");
        for (Map.Entry<String, String[]> e : CatalogFiles.SECTION7.entrySet()) {
            RuleDefinition r = byCode.get(e.getKey());
            assertNotNull(r, "missing rule " + e.getKey());
            assertEquals(e.getValue()[0], r.name(), "name of " + e.getKey());
            assertEquals(e.getValue()[1], r.knowledgeSet(), "knowledge set of " + e.getKey());
            if (r.knowledgeSet() != null) {
                assertTrue(sets.containsKey(r.knowledgeSet()), "knowledge/" + r.knowledgeSet() + ".csv missing");
            }
        }
        assertEquals(Set.copyOf(CatalogFiles.SECTION7.keySet()), byCode.keySet(), "rules outside §7");
    }

    @Test
    void everyRuleIsCompleteAndHasAFiringAndANonFiringTest() {
        for (RuleDefinition r : rules) {
            String c = r.code();
            assertNotNull(r.tier(), c + " tier");
            assertNotNull(r.category(), c + " category");
            assertNotNull(r.resultType(), c + " resultType");
            assertNotNull(r.effectiveFrom(), c + " effectiveFrom");
            assertNotNull(r.source(), c + " source");
            assertFalse(r.actions() == null || r.actions().isEmpty(), c + " actions");
            assertTrue(r.actions().containsKey(Stage.PRE_ORDER), c + " must apply before signing (PRE_ORDER)");
            assertTrue(r.message().contains("@{"), c + " message is a template");
            List<RuleTest> tests = r.tests();
            assertNotNull(tests, c + " tests");
            boolean firing = false, quiet = false;
            for (RuleTest t : tests) {
                assertNotNull(t.name(), c + " test name");
                assertNotNull(t.request(), c + " test request");
                assertNotNull(t.expect(), c + " test expect");
                if (t.expect().isEmpty()) quiet = true; else firing = true;
            }
            assertTrue(firing, c + " needs a firing test");
            assertTrue(quiet, c + " needs a near-miss test that expects nothing");
        }
    }

    @Test
    void everyBlockingRuleIsAViolation() {
        for (RuleDefinition r : rules) {
            if (r.actions().containsValue(Action.BLOCK)) {
                assertEquals("VIOLATION", r.resultType().name(), r.code() + " blocks, so it must be a 明确违规 rule");
            }
        }
    }

    @Test
    void knowledgeSetsAreSmallAndHaveItemCodes() {
        for (KnowledgeSet s : sets.values()) {
            assertTrue(s.rows().size() >= 1 && s.rows().size() <= 6, s.name() + " has " + s.rows().size() + " rows");
            for (KnowledgeRow row : s.rows()) {
                assertFalse(row.itemCodes().isEmpty(), s.name() + " row " + row.kpId());
                assertNotNull(row.kpId());
            }
        }
        // drug-indication demonstrates both kinds of knowledge point
        KnowledgeSet ind = sets.get("drug-indication");
        long withCodes = ind.rows().stream()
            .filter(r -> r.values().get("diagnosis_codes") != null && !r.values().get("diagnosis_codes").isBlank())
            .count();
        assertTrue(withCodes > 0 && withCodes < ind.rows().size(), "drug-indication rows with and without codes");
    }

    @Test
    void everyRulePassesTheValidator() {
        List<String> problems = new ArrayList<>();
        for (RuleDefinition r : rules) {
            for (Problem p : RuleValidator.validate(r, sets.keySet())) problems.add(p.toString());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void compilesAndEveryRulePassesItsOwnTests() {
        CatalogSnapshot snap;
        try {
            snap = CatalogSnapshot.compile(1, rules, sets);
        } catch (CatalogCompileException e) {
            fail("catalog does not compile: " + e.problems());
            return;
        }
        assertEquals(CatalogFiles.SECTION7.size(), snap.ruleCount());
        for (String code : CatalogFiles.SECTION7.keySet()) assertNotNull(snap.rule(code), code);
        List<TestFailure> failures = snap.runRuleTests();
        assertEquals(List.of(), failures,
            () -> failures.stream().map(f -> f.ruleCode() + " / " + f.testName() + ": " + f.message())
                .collect(Collectors.joining("\n", "\n", "\n")));
    }

    @Test
    void expectedFindingsNameOnlyTheirOwnRule() {
        for (RuleDefinition r : rules) {
            for (RuleTest t : r.tests()) {
                for (ExpectedFinding f : t.expect()) {
                    assertTrue(f.ruleCode() == null || f.ruleCode().equals(r.code()), r.code() + " / " + t.name());
                }
            }
        }
    }
}
