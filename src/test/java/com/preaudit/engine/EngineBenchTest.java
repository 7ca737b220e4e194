package com.preaudit.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Engine micro-benchmark (PRODUCT §8: measured, not a timed test): every national knowledge set plus the default
 * rules, one 20-line order with 60 history lines, single thread. Runs only with {@code -Dpreaudit.bench=true}:
 * {@code mvn -B -q test -Dtest=EngineBenchTest -Dpreaudit.bench=true}.
 */
class EngineBenchTest {

    @Test
    void twentyLineOrderAgainstAllNationalSets() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("preaudit.bench"), "benchmark: run with -Dpreaudit.bench=true");
        Path national = KnowledgeDir.find();
        Path catalog = Path.of("rules-catalog");
        Assumptions.assumeTrue(national != null && Files.isDirectory(catalog.resolve("rules")), "data absent");

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule());
        List<RuleDefinition> rules = new ArrayList<>();
        try (Stream<Path> s = Files.list(catalog.resolve("rules"))) {
            for (Path p : s.sorted().toList()) rules.add(yaml.readValue(p.toFile(), RuleDefinition.class));
        }
        Map<String, KnowledgeSet> sets = new HashMap<>();
        for (Path dir : List.of(catalog.resolve("knowledge"), national)) {   // national replaces same-named sets
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".csv")).toList()) {
                    String name = p.getFileName().toString().replace(".csv", "");
                    try (Reader r = Files.newBufferedReader(p)) {
                        sets.put(name, KnowledgeCsv.parse(name, r));
                    }
                }
            }
        }
        long t0 = System.nanoTime();
        CatalogSnapshot snap = CatalogSnapshot.compile(1, rules, sets);
        System.out.printf("compiled %d rules, %d knowledge rows in %d ms%n", snap.ruleCount(),
            snap.knowledgeRowCount(), (System.nanoTime() - t0) / 1_000_000);

        String[] codes = {
            first(sets, "drug-gender", 0), first(sets, "drug-gender", 1), first(sets, "drug-indication", 0),
            first(sets, "drug-indication", 5), first(sets, "drug-indication", 9), first(sets, "drug-child-only", 0),
            first(sets, "drug-care-mode", 0), first(sets, "drug-hospital-level", 0), first(sets, "drug-second-line", 1),
            first(sets, "drug-course-days", 1), "XA02BCA123B001010101234", "XN05CDA111B001010101234",
            first(sets, "service-frequency", 1), first(sets, "service-frequency", 2),
            "001103000010000", "001102000030000", first(sets, "surgery-discount-group", 0),
            first(sets, "surgery-discount-group", 1), first(sets, "herb-single-not-paid", 0), "T000000001"};
        T.Q q = T.req().stage(Stage.PRE_ORDER).scenario(Scenario.INPATIENT).gender("M").insurance("EMPLOYEE")
            .birth(LocalDate.of(1960, 3, 3)).level(2).dx("E11.900", "I10.x00").admitted("2025-06-01T09:00", null);
        for (int i = 0; i < codes.length; i++) {
            String c = codes[i];
            String type = c.startsWith("X") || c.startsWith("Z") ? "DRUG" : c.startsWith("T") ? "HERB" : "SERVICE";
            q.lines(T.line("l" + i, c).type(type).name("项目" + i).price("100", "120").amount("100")
                .at("2025-06-14T09:" + (10 + i)).days(type.equals("DRUG") ? 7 : 1).rx(type.equals("HERB") ? "RX2" : "RX1")
                .dept("100309"));
        }
        for (int i = 0; i < 60; i++) {
            String c = codes[i % codes.length];
            q.history(T.line("h" + i, c).amount("50").at(LocalDateTime.of(2025, 6, 13, 8, 0).minusDays(i / 4).toString())
                .days(1));
        }
        AuditInput in = q.build();
        AuditOptions opt = new AuditOptions(LocalDateTime.of(2025, 6, 14, 10, 0), true, null);
        AuditResult sample = snap.audit(in, opt);
        System.out.println("findings " + sample.findings().size() + ", skipped " + sample.skipped());

        int failed = 0;
        for (int i = 0; i < 100_000; i++) {   // warm-up (C2 + MVEL's JIT), checking results stay identical
            AuditResult r = snap.audit(in, opt);
            if (!r.equals(sample)) failed++;
        }
        assertTrue(failed == 0, failed + " audits differed from the first after MVEL optimisation");
        int n = 200_000;
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            snap.audit(in, opt);
            lat[i] = System.nanoTime() - s;
        }
        Arrays.sort(lat);
        System.out.printf("20-line order: p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, p99.9 %.1f µs%n",
            lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3, lat[n * 99 / 100] / 1e3, lat[n * 999 / 1000] / 1e3);
        assertTrue(lat[n / 2] > 0);
    }

    private static String first(Map<String, KnowledgeSet> sets, String name, int row) {
        KnowledgeSet s = sets.get(name);
        return s.rows().get(Math.min(row, s.rows().size() - 1)).itemCodes().get(0);
    }
}
