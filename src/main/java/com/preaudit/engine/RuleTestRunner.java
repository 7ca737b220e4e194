package com.preaudit.engine;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.ExpectedFinding;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.RuleTest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule authors' own tests ({@code tests:} of a rule), run at publish: each test's request audited against the
 * snapshot being published with only its rule. Kept apart from {@link CatalogSnapshot}, which only audits.
 */
final class RuleTestRunner {

    static final LocalDate DEFAULT_TEST_DATE = LocalDate.of(2025, 7, 1);

    private RuleTestRunner() {
    }

    /**
     * Runs every rule's own tests, each audited against this snapshot with only that rule, history available, at
     * {@code test.now}, else the first request line's orderedAt, else a fixed date inside the rule's effective
     * range. A request without a stage runs at the first stage the rule acts at; one without a scenario, for a rule
     * restricted to some scenarios, in the first of them.
     *
     * @return one entry per failing test; empty when all pass
     */
    static List<TestFailure> run(CatalogSnapshot snapshot, CompiledRule[] rules) {
        List<TestFailure> failures = new ArrayList<>();
        for (CompiledRule r : rules) {
            List<RuleTest> tests = r.def.tests();
            if (tests == null) continue;
            for (int i = 0; i < tests.size(); i++) {
                RuleTest t = tests.get(i);
                String name = t == null || t.name() == null ? "tests[" + i + "]" : t.name();
                String failure;
                try {
                    failure = runTest(snapshot, r, t);
                } catch (RuntimeException e) {
                    failure = "test could not run: " + CompiledRule.describe(e);
                }
                if (failure != null) failures.add(new TestFailure(r.code, name, failure));
            }
        }
        return Collections.unmodifiableList(failures);
    }

    private static String runTest(CatalogSnapshot snapshot, CompiledRule r, RuleTest t) {
        if (t == null || t.request() == null) return "test has no request";
        AuditInput in = t.request();
        if (in.stage() == null || in.scenario() == null && r.firstScenario() != null) {
            in = new AuditInput(in.requestId(), in.stage() != null ? in.stage() : r.firstStage(),
                in.scenario() != null ? in.scenario() : r.firstScenario(), in.hospital(), in.patient(),
                in.encounter(), in.lines(), in.history());
        }
        AuditResult res = snapshot.audit(in, new AuditOptions(testTime(r, t), true, Set.of(r.code)));
        for (Skipped s : res.skipped()) {
            if (s.error()) return s.reason();
        }
        List<ExpectedFinding> expect = t.expect() == null ? List.of() : t.expect();
        // a SHADOW rule's tests check the findings it records, which are never in the answer
        List<Finding> got = res.shadowFindings().isEmpty() ? res.findings() : new ArrayList<>(res.findings());
        if (!res.shadowFindings().isEmpty()) got.addAll(res.shadowFindings());
        boolean[] used = new boolean[got.size()];
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < expect.size(); i++) {
            ExpectedFinding e = expect.get(i);
            int match = -1;
            for (int j = 0; j < got.size() && match < 0; j++) {
                if (!used[j] && matches(e, got.get(j))) match = j;
            }
            if (match >= 0) used[match] = true;
            else problems.add("expected finding " + describe(e) + " not found");
        }
        if (got.size() != expect.size() || !problems.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append("expected ").append(expect.size()).append(" finding(s), got ").append(got.size());
            if (!got.isEmpty()) {
                sb.append(" [");
                for (int j = 0; j < got.size(); j++) {
                    Finding f = got.get(j);
                    if (j > 0) sb.append("; ");
                    sb.append(f.action()).append(" lines ").append(f.lineIds()).append(": ").append(f.message());
                }
                sb.append(']');
            }
            for (String p : problems) sb.append("; ").append(p);
            for (Skipped s : res.skipped()) sb.append("; skipped: ").append(s.reason());
            return sb.toString();
        }
        return null;
    }

    private static boolean matches(ExpectedFinding e, Finding f) {
        if (e == null) return true;
        if (e.ruleCode() != null && !e.ruleCode().equals(f.ruleCode())) return false;
        if (e.action() != null && e.action() != f.action()) return false;
        if (e.lineIds() != null) {
            if (e.lineIds().size() != f.lineIds().size()) return false;
            if (!new HashSet<>(e.lineIds()).equals(new HashSet<>(f.lineIds()))) return false;
        }
        return true;
    }

    private static String describe(ExpectedFinding e) {
        if (e == null) return "(any)";
        StringBuilder sb = new StringBuilder("{");
        if (e.lineIds() != null) sb.append("lineIds ").append(e.lineIds());
        if (e.ruleCode() != null) sb.append(sb.length() > 1 ? ", " : "").append("ruleCode ").append(e.ruleCode());
        if (e.action() != null) sb.append(sb.length() > 1 ? ", " : "").append("action ").append(e.action());
        return sb.append('}').toString();
    }

    private static LocalDateTime testTime(CompiledRule r, RuleTest t) {
        if (t.now() != null) return t.now();
        List<Line> lines = t.request().lines();
        if (lines != null && !lines.isEmpty() && lines.get(0) != null && lines.get(0).orderedAt() != null) {
            return lines.get(0).orderedAt();
        }
        LocalDate d = DEFAULT_TEST_DATE;
        if (r.effectiveFrom() != null && d.isBefore(r.effectiveFrom())) d = r.effectiveFrom();
        if (r.effectiveTo() != null && d.isAfter(r.effectiveTo())) d = r.effectiveTo();
        return d.atTime(12, 0);
    }
}
