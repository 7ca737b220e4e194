package com.preaudit.bench;

import com.preaudit.catalog.CatalogArchive;
import com.preaudit.catalog.CatalogContent;
import com.preaudit.catalog.CatalogRuntime;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node pays to compile a version it hears of (PRODUCT.md §9: served by the other node within 1 s): the default
 * catalog (rules-catalog/) compiled in full, five times (JIT warming up), then through one {@code CatalogRuntime}'s
 * compile cache as a publish does: the catalog, the catalog with one rule's {@code when} changed, and the catalog with
 * one knowledge row changed. Wall-clock milliseconds of one compile each, so run it on a quiet machine.
 *
 * <pre>mvn -B -q -o -Pbench test-compile exec:exec -Dexec.args="-cp %classpath com.preaudit.bench.CompileCacheProbe"</pre>
 */
public final class CompileCacheProbe {
    private CompileCacheProbe() {}

    public static void main(String[] args) throws Exception {
        CatalogContent c = CatalogArchive.readDirectory(Path.of("rules-catalog"));
        List<RuleDefinition> rules = c.ruleList();
        Map<String, KnowledgeSet> sets = c.sets();
        for (int i = 1; i <= 5; i++) {
            long t = System.nanoTime();
            CatalogSnapshot.compile(i, rules, sets);
            System.out.printf("full compile %d: %d ms (%d rules, %d knowledge sets)%n", i, ms(t), rules.size(), sets.size());
        }
        CatalogRuntime runtime = new CatalogRuntime(4);
        long t = System.nanoTime();
        CatalogSnapshot first = CatalogSnapshot.compile(10, rules, sets, runtime.compileCache());
        System.out.printf("through the cache, nothing cached yet: %d ms%n", ms(t));

        List<RuleDefinition> oneRule = new ArrayList<>(rules);
        RuleDefinition r = oneRule.get(0);
        oneRule.set(0, new RuleDefinition(r.code(), r.name(), r.tier(), r.category(), r.resultType(), r.actions(), r.scenarios(),
            r.insuranceTypes(), r.hospitalLevels(), r.effectiveFrom(), r.effectiveTo(), r.source(), r.params(), r.knowledgeSet(),
            r.scope(), r.matchOn(), r.itemTypes(), "(" + r.when() + ") && true", r.message(), r.tests(), r.enabled(),
            r.suspiciousWhen()));
        t = System.nanoTime();
        CatalogSnapshot second = CatalogSnapshot.compile(11, oneRule, sets, runtime.compileCache());
        System.out.printf("through the cache, one rule's when changed: %d ms%n", ms(t));

        String name = rules.stream().map(RuleDefinition::knowledgeSet).filter(s -> s != null && sets.containsKey(s)).findFirst()
            .orElseThrow();
        KnowledgeSet set = sets.get(name);
        List<KnowledgeRow> rows = new ArrayList<>(set.rows());
        KnowledgeRow row = rows.get(0);
        Map<String, String> values = new LinkedHashMap<>(row.values());
        values.put("constraint_text", "changed");
        rows.set(0, new KnowledgeRow(row.kpId(), row.itemCodes(), values));
        Map<String, KnowledgeSet> oneRow = new HashMap<>(sets);
        oneRow.put(name, new KnowledgeSet(name, set.columns(), rows));
        t = System.nanoTime();
        CatalogSnapshot third = CatalogSnapshot.compile(12, rules, oneRow, runtime.compileCache());
        System.out.printf("through the cache, one row of %s (%d rows) changed: %d ms%n", name, rows.size(), ms(t));
        // (and the first snapshot is still alive here: the cache holds only parts that a live snapshot holds)
        if (first.ruleCount() != rules.size() || second.ruleCount() != rules.size() || third.ruleCount() != rules.size()) {
            throw new IllegalStateException("a compile lost rules");
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
