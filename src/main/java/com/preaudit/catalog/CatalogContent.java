package com.preaudit.catalog;

import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;

import java.util.List;
import java.util.Map;

/** Everything one catalog version (or the draft) holds: catalog.yaml, rules by code, knowledge sets by name. */
public record CatalogContent(CatalogMeta meta, Map<String, RuleDefinition> rules, Map<String, KnowledgeSet> sets) {

    public long rowCount() {
        long n = 0;
        for (KnowledgeSet s : sets.values()) {
            n += s.rows().size();
        }
        return n;
    }

    public List<RuleDefinition> ruleList() {
        return List.copyOf(rules.values());
    }
}
