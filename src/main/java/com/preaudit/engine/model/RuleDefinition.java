package com.preaudit.engine.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** A rule as authored (rules-catalog/rules/&lt;code&gt;.yaml). See CONTRACT §2 for the semantics. */
public record RuleDefinition(String code, String name, Tier tier, String category, ResultType resultType,
                             Map<Stage, Action> actions, List<Scenario> scenarios, List<String> insuranceTypes,
                             List<Integer> hospitalLevels, LocalDate effectiveFrom, LocalDate effectiveTo,
                             String source, Map<String, Object> params, String knowledgeSet, Scope scope,
                             MatchOn matchOn, List<String> itemTypes, String when, String message,
                             List<RuleTest> tests, Boolean enabled, String suspiciousWhen) {

    /**
     * Without {@code suspiciousWhen}: an optional MVEL expression, evaluated where {@code when} fired, that makes that
     * finding {@code SUSPICIOUS} (可疑: the codes alone cannot decide it) instead of the rule's {@code resultType}.
     */
    public RuleDefinition(String code, String name, Tier tier, String category, ResultType resultType,
                          Map<Stage, Action> actions, List<Scenario> scenarios, List<String> insuranceTypes,
                          List<Integer> hospitalLevels, LocalDate effectiveFrom, LocalDate effectiveTo,
                          String source, Map<String, Object> params, String knowledgeSet, Scope scope,
                          MatchOn matchOn, List<String> itemTypes, String when, String message,
                          List<RuleTest> tests, Boolean enabled) {
        this(code, name, tier, category, resultType, actions, scenarios, insuranceTypes, hospitalLevels, effectiveFrom,
            effectiveTo, source, params, knowledgeSet, scope, matchOn, itemTypes, when, message, tests, enabled, null);
    }
}
