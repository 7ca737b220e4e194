package com.preaudit.catalog;

import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What changed between two catalog contents: rules by code, knowledge rows by kp_id. */
public record CatalogDiff(int from, int to, RuleChanges rules, List<SetChanges> knowledgeSets) {

    public record RuleChanges(List<String> added, List<String> removed, List<String> changed) { }

    public record SetChanges(String name, String status, List<String> added, List<String> removed, List<String> changed) { }

    public boolean empty() {
        return rules.added().isEmpty() && rules.removed().isEmpty() && rules.changed().isEmpty()
                && knowledgeSets.stream().allMatch(s -> s.status().equals("UNCHANGED"));
    }

    public static CatalogDiff of(int from, CatalogContent a, int to, CatalogContent b) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        TreeSet<String> codes = new TreeSet<>(a.rules().keySet());
        codes.addAll(b.rules().keySet());
        for (String code : codes) {
            RuleDefinition ra = a.rules().get(code);
            RuleDefinition rb = b.rules().get(code);
            if (ra == null) {
                added.add(code);
            } else if (rb == null) {
                removed.add(code);
            } else if (!CatalogJson.toJson(ra).equals(CatalogJson.toJson(rb))) {
                changed.add(code);
            }
        }
        List<SetChanges> sets = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(a.sets().keySet());
        names.addAll(b.sets().keySet());
        for (String name : names) {
            sets.add(diffSet(name, a.sets().get(name), b.sets().get(name)));
        }
        sets.removeIf(s -> s.status().equals("UNCHANGED"));
        return new CatalogDiff(from, to, new RuleChanges(added, removed, changed), sets);
    }

    private static SetChanges diffSet(String name, KnowledgeSet a, KnowledgeSet b) {
        Map<String, KnowledgeRow> ra = index(a);
        Map<String, KnowledgeRow> rb = index(b);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (var e : rb.entrySet()) {
            KnowledgeRow old = ra.get(e.getKey());
            if (old == null) {
                added.add(e.getKey());
            } else if (!Objects.equals(old.itemCodes(), e.getValue().itemCodes()) || !Objects.equals(old.values(), e.getValue().values())) {
                changed.add(e.getKey());
            }
        }
        for (String k : ra.keySet()) {
            if (!rb.containsKey(k)) {
                removed.add(k);
            }
        }
        String status = a == null ? "ADDED" : b == null ? "REMOVED"
                : added.isEmpty() && removed.isEmpty() && changed.isEmpty() ? "UNCHANGED" : "CHANGED";
        return new SetChanges(name, status, added, removed, changed);
    }

    private static Map<String, KnowledgeRow> index(KnowledgeSet s) {
        Map<String, KnowledgeRow> m = new LinkedHashMap<>();
        if (s != null) {
            for (KnowledgeRow r : s.rows()) {
                m.put(r.kpId(), r);
            }
        }
        return m;
    }
}
