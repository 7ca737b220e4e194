package com.preaudit.engine.model;

import java.util.List;
import java.util.Map;

/** One knowledge point: its index keys ({@code *} suffix = prefix pattern) and the other columns as text. */
public record KnowledgeRow(String kpId, List<String> itemCodes, Map<String, String> values) {}
