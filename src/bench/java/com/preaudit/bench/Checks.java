package com.preaudit.bench;

import com.preaudit.engine.AuditResult;
import com.preaudit.engine.Finding;
import com.preaudit.engine.Skipped;
import java.util.Set;
import java.util.TreeSet;

/** Setup-time sanity checks shared by the benchmarks. */
final class Checks {
    private Checks() {
    }

    /** Fails when a rule failed (a benchmark of a broken rule measures nothing). */
    static void requireClean(AuditResult r, String what) {
        for (Skipped s : r.skipped()) {
            if (s.error()) throw new IllegalStateException(what + ": rule failed: " + s);
        }
    }

    /** The (rule code, line id) pairs of the findings, restricted to {@code rules} (null = all). */
    static Set<String> pairs(AuditResult r, Set<String> rules) {
        Set<String> out = new TreeSet<>();
        for (Finding f : r.findings()) {
            if (rules != null && !rules.contains(f.ruleCode())) continue;
            for (String id : f.lineIds()) out.add(f.ruleCode() + " " + id);
        }
        return out;
    }
}
