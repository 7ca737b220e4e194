package com.preaudit.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code |}-separated code pattern list: {@code M10} or {@code M10*} (prefix), {@code O00-O9A} (range on
 * the first three characters, bounds inclusive). Matching is case-insensitive and allocation-free.
 */
public final class CodePatterns {
    private final String[] prefixes;   // upper case
    private final String[] rangeLow;   // 3 chars max, upper case
    private final String[] rangeHigh;

    private CodePatterns(String[] prefixes, String[] rangeLow, String[] rangeHigh) {
        this.prefixes = prefixes;
        this.rangeLow = rangeLow;
        this.rangeHigh = rangeHigh;
    }

    public static CodePatterns parse(String patterns) {
        List<String> pre = new ArrayList<>();
        List<String> lo = new ArrayList<>();
        List<String> hi = new ArrayList<>();
        if (patterns != null) {
            int from = 0, n = patterns.length();
            while (from <= n) {
                int bar = patterns.indexOf('|', from);
                if (bar < 0) bar = n;
                String p = patterns.substring(from, bar).trim().toUpperCase(Locale.ROOT);
                from = bar + 1;
                if (p.endsWith("*")) p = p.substring(0, p.length() - 1);
                if (p.isEmpty()) continue;
                int dash = p.indexOf('-');
                if (dash > 0 && dash < p.length() - 1) {
                    lo.add(first3(p.substring(0, dash).trim()));
                    hi.add(first3(p.substring(dash + 1).trim()));
                } else {
                    pre.add(p);
                }
            }
        }
        return new CodePatterns(pre.toArray(new String[0]), lo.toArray(new String[0]), hi.toArray(new String[0]));
    }

    private static String first3(String s) {
        return s.length() <= 3 ? s : s.substring(0, 3);
    }

    public boolean matches(String code) {
        if (code == null) return false;
        for (String p : prefixes) {
            if (code.regionMatches(true, 0, p, 0, p.length())) return true;
        }
        if (rangeLow.length != 0 && code.length() >= 3) {
            for (int i = 0; i < rangeLow.length; i++) {
                if (compare3(code, rangeLow[i]) >= 0 && compare3(code, rangeHigh[i]) <= 0) return true;
            }
        }
        return false;
    }

    /** Compares the first three characters of {@code code} (upper-cased) with {@code bound}. */
    private static int compare3(String code, String bound) {
        int n = Math.min(3, bound.length());
        for (int i = 0; i < n; i++) {
            char c = Character.toUpperCase(code.charAt(i));
            char b = bound.charAt(i);
            if (c != b) return c < b ? -1 : 1;
        }
        return 0;
    }
}
