package com.preaudit.engine.model;

import java.util.List;

/** A named knowledge table (知识库); {@code columns} is the header in file order. */
public record KnowledgeSet(String name, List<String> columns, List<KnowledgeRow> rows) {}
