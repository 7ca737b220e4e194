package com.preaudit.engine;

import static com.preaudit.engine.T.NOW;
import static com.preaudit.engine.T.at;
import static com.preaudit.engine.T.csv;
import static com.preaudit.engine.T.line;
import static com.preaudit.engine.T.req;
import static com.preaudit.engine.T.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A node that hears of another node's publish compiles what changed, not the whole catalog (PRODUCT.md §9: served
 * within 1 s): through a {@link CompileCache}, a version that changes one rule compiles one expression, one that
 * changes a knowledge row rebuilds that set's index alone, and either answers as a compile from scratch would.
 */
class CompileCacheTest {

    /** Counts what it had to compile. */
    static final class Counting implements CompileCache {
        final Map<Object, Object> values = new HashMap<>();
        int compiled;

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> V get(K key, Function<? super K, ? extends V> compute) {
            V v = (V) values.get(key);
            if (v == null) {
                v = compute.apply(key);
                compiled++;
                values.put(key, v);
            }
            return v;
        }
    }

    static final KnowledgeSet GENDER = csv("gender", "item_codes,gender\nIUD,F\n");
    static final KnowledgeSet NOTES = csv("notes", "item_codes,note\nX1,第一版\n");

    static List<RuleDefinition> rules(String genderWhen) {
        return List.of(
            rule("GENDER").set("gender").when(genderWhen).message("限女性").build(),
            rule("NOTE").set("notes").when("kp.note != null").message("@{kp.note}").build(),
            rule("ORDER").scope(Scope.ORDER).when("lines.size() > 5").message("超过5行").build());
    }

    static CatalogSnapshot compile(CompileCache cache, List<RuleDefinition> rules, KnowledgeSet notes) {
        return CatalogSnapshot.compile(1, rules, Map.of("gender", GENDER, "notes", notes), cache);
    }

    static List<String> messages(CatalogSnapshot s, String gender, String code) {
        return s.audit(req().gender(gender).lines(line("l1", code)).build(), at(NOW)).findings().stream().map(Finding::message).toList();
    }

    @Test
    void aVersionThatChangesOneRuleCompilesThatRuleAlone() {
        Counting cache = new Counting();
        compile(cache, rules("patient.gender != kp.gender"), NOTES);
        int first = cache.compiled;
        assertEquals(8, first, "3 when, 3 templates, 2 knowledge indexes");

        cache.compiled = 0;
        CatalogSnapshot changed = compile(cache, rules("patient.gender == 'M' && kp.gender == 'F'"), NOTES);
        assertEquals(1, cache.compiled, "compiled again what did not change");
        assertEquals(messages(compile(CompileCache.NONE, rules("patient.gender == 'M' && kp.gender == 'F'"), NOTES), "M", "IUD"),
            messages(changed, "M", "IUD"));
        assertEquals(List.of("限女性"), messages(changed, "M", "IUD"));
        assertEquals(List.of(), messages(changed, "F", "IUD"));
    }

    @Test
    void aChangedKnowledgeRowRebuildsThatSetAloneAndCounts() {
        Counting cache = new Counting();
        assertEquals(List.of("第一版"), messages(compile(cache, rules("patient.gender != kp.gender"), NOTES), "M", "X1"));

        cache.compiled = 0;
        CatalogSnapshot changed = compile(cache, rules("patient.gender != kp.gender"), csv("notes", "item_codes,note\nX1,第二版\n"));
        assertEquals(1, cache.compiled, "only the changed set's index is built again");
        assertEquals(List.of("第二版"), messages(changed, "M", "X1"));
    }

    @Test
    void aRuleThatDoesNotCompileIsReportedOnEveryCompile() {
        Counting cache = new Counting();
        for (int i = 0; i < 2; i++) {
            CatalogCompileException e = assertThrows(CatalogCompileException.class,
                () -> compile(cache, rules("patient.gender != "), NOTES));
            assertEquals(List.of("GENDER"), e.problems().stream().map(Problem::ruleCode).toList());
        }
        assertThrows(CatalogCompileException.class, () -> compile(cache, rules("Runtime.getRuntime()"), NOTES));
        assertThrows(CatalogCompileException.class, () -> compile(cache, rules("Runtime.getRuntime()"), NOTES),
            "a sandbox refusal must not be cached as a compiled rule");
    }
}
