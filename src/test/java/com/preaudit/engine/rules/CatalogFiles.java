package com.preaudit.engine.rules;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.KnowledgeCsv;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads the default rules-catalog/ (rules/*.yaml, knowledge/*.csv) the way the service does; the engine tests and the
 * benchmarks read catalog directories through it too.
 */
public final class CatalogFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .registerModule(new JavaTimeModule())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /**
     * The rule classes of PRODUCT.md §7 (round one, then round two's clinical and policy parts): code → {name,
     * knowledge set or null}, in the order of section7-rule-classes.csv beside this class.
     */
    static final Map<String, String[]> SECTION7 = section7();

    private static Map<String, String[]> section7() {
        Map<String, String[]> classes = new LinkedHashMap<>();
        try (InputStream in = CatalogFiles.class.getResourceAsStream("section7-rule-classes.csv")) {
            if (in == null) {
                throw new IllegalStateException("section7-rule-classes.csv is not on the test classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            boolean header = true;
            for (String row : text.split("\n")) {
                if (row.isBlank() || row.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = row.split(",", -1);
                if (f.length != 3 || classes.put(f[0], new String[] {f[1], f[2].isEmpty() ? null : f[2]}) != null) {
                    throw new IllegalStateException("section7-rule-classes.csv: bad or repeated row: " + row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }

    private CatalogFiles() {}

    /** rules-catalog/ of the project: system property {@code preaudit.catalog.dir}, else ./rules-catalog. */
    static Path catalogDir() {
        String p = System.getProperty("preaudit.catalog.dir");
        return Path.of(p != null && !p.isBlank() ? p : "rules-catalog");
    }

    /** The rules of {@code catalogDir}/rules/*.yaml, in file-name order. */
    public static List<RuleDefinition> loadRules(Path catalogDir) {
        List<RuleDefinition> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(catalogDir.resolve("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try {
                    rules.add(YAML.readValue(f.toFile(), RuleDefinition.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    /** The knowledge sets of {@code dir}/*.csv by name (the file name without .csv), in file-name order. */
    public static Map<String, KnowledgeSet> loadKnowledge(Path dir) {
        Map<String, KnowledgeSet> sets = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.csv$", "");
                sets.put(name, parseCsv(name, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }

    static KnowledgeSet parseCsv(String name, Path f) {
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return KnowledgeCsv.parse(name, r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    static Map<String, Object> catalogYaml(Path catalogDir) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = YAML.readValue(catalogDir.resolve("catalog.yaml").toFile(), Map.class);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default catalog compiled as version 1. */
    static CatalogSnapshot defaultSnapshot() {
        Path dir = catalogDir();
        return CatalogSnapshot.compile(1, loadRules(dir), loadKnowledge(dir.resolve("knowledge")));
    }
}
