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
                             List<RuleTest> tests, Boolean enabled) {}
