package com.preaudit.engine.runtime;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed code-pattern lists shared by all audits of one catalog snapshot. Patterns come from rule literals and
 * knowledge cells, a finite set per catalog version; the cap only guards against patterns built from request data.
 */
public final class PatternCache {
    private static final int MAX = 8192;
    private final ConcurrentHashMap<String, CodePatterns> cache = new ConcurrentHashMap<>();

    public CodePatterns get(String patterns) {
        CodePatterns p = cache.get(patterns);
        if (p == null) {
            p = CodePatterns.parse(patterns);
            if (cache.size() < MAX) cache.putIfAbsent(patterns, p);
        }
        return p;
    }
}
