package com.preaudit.simulation;

import com.preaudit.catalog.CatalogContent;
import com.preaudit.engine.AuditOptions;
import com.preaudit.engine.AuditResult;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Finding;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The candidate and the baseline catalog of a simulation, audited together. A rule reads only the request and its
 * own knowledge set, so a rule whose definition and set are the same in both catalogs finds exactly the same in
 * both: such shared rules are run once (by the baseline snapshot) and only the rules that differ are run in each
 * catalog. A change of a few rules then costs about one audit per stored request instead of two. The decision of
 * each side is the engine's rule over its findings (any BLOCK, else any WARN, else PASS).
 */
final class CatalogPair {

    record Results(AuditResult candidate, AuditResult baseline) { }

    private final CatalogSnapshot candidate;
    private final CatalogSnapshot baseline;
    private final Set<String> shared;
    private final Set<String> candidateOnly;
    private final Set<String> baselineOnly;

    CatalogPair(CatalogSnapshot candidate, CatalogContent candidateContent, CatalogSnapshot baseline, CatalogContent baselineContent) {
        this.candidate = candidate;
        this.baseline = baseline;
        Set<String> same = new HashSet<>();
        Set<String> cand = new HashSet<>();
        for (Map.Entry<String, RuleDefinition> e : candidateContent.rules().entrySet()) {
            RuleDefinition other = baselineContent.rules().get(e.getKey());
            if (other != null && other.equals(e.getValue()) && sameSet(e.getValue(), candidateContent, baselineContent)) {
                same.add(e.getKey());
            } else {
                cand.add(e.getKey());
            }
        }
        Set<String> base = new HashSet<>(baselineContent.rules().keySet());
        base.removeAll(same);
        this.shared = same;
        this.candidateOnly = cand;
        this.baselineOnly = base;
    }

    private static boolean sameSet(RuleDefinition rule, CatalogContent a, CatalogContent b) {
        if (rule.knowledgeSet() == null) {
            return true;
        }
        KnowledgeSet x = a.sets().get(rule.knowledgeSet());
        KnowledgeSet y = b.sets().get(rule.knowledgeSet());
        return Objects.equals(x, y);
    }

    Results audit(AuditInput input, LocalDateTime now) {
        List<Finding> common = shared.isEmpty() ? List.of() : baseline.audit(input, new AuditOptions(now, true, shared)).findings();
        List<Finding> base = baselineOnly.isEmpty() ? List.of() : baseline.audit(input, new AuditOptions(now, true, baselineOnly)).findings();
        List<Finding> cand = candidateOnly.isEmpty() ? List.of() : candidate.audit(input, new AuditOptions(now, true, candidateOnly)).findings();
        return new Results(joined(common, cand), joined(common, base));
    }

    private static AuditResult joined(List<Finding> common, List<Finding> own) {
        List<Finding> all;
        if (own.isEmpty()) {
            all = common;
        } else if (common.isEmpty()) {
            all = own;
        } else {
            all = new ArrayList<>(common.size() + own.size());
            all.addAll(common);
            all.addAll(own);
        }
        Decision d = Decision.PASS;
        for (Finding f : all) {
            if (f.action() == Action.BLOCK) {
                d = Decision.BLOCK;
                break;
            }
            if (f.action() == Action.WARN) {
                d = Decision.WARN;
            }
        }
        return new AuditResult(d, all, List.of());
    }
}
