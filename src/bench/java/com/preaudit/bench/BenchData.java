package com.preaudit.bench;

import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.rules.CatalogFiles;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Benchmark data: the default rules of {@code rules-catalog/rules}, the project's knowledge sets replaced by every
 * national set of {@code ../shared/knowledge/nhsa-2025} (never copied into the repository), and realistic orders built
 * from real national codes.
 *
 * <p>Locations: {@code -Dpreaudit.repo.dir} (default: the working directory) and {@code -Dpreaudit.knowledge.dir} or
 * the environment variable {@code PREAUDIT_KNOWLEDGE_DIR} (default: {@code <repo>/../shared/knowledge/nhsa-2025}).
 */
public final class BenchData {
    /** The audit time of every benchmark order. */
    public static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 18, 0);
    static final LocalDate TODAY = NOW.toLocalDate();

    /** The rule classes implemented by the Drools peer (gender, child-only, hospital level, duplicate pair, frequency). */
    public static final Set<String> PEER_RULES = Set.of(
        "GZ10000301004000",   // drug-gender
        "GZ10000302004000",   // service-gender
        "GZ10000301002000",   // drug-child-only
        "GZ10000101007000",   // drug-child-limited
        "GZ10000302003000",   // service-child-only
        "GZ10000101012000",   // drug-hospital-level
        "GZ10000102012000",   // service-duplicate-charge
        "GZ10000102014000");  // service-frequency

    private static final BigDecimal PRICE = new BigDecimal("12.50");

    private BenchData() {
    }

    public static Path repoDir() {
        return Path.of(System.getProperty("preaudit.repo.dir", ".")).toAbsolutePath().normalize();
    }

    public static Path knowledgeDir() {
        String p = System.getProperty("preaudit.knowledge.dir");
        if (p == null || p.isBlank()) p = System.getenv("PREAUDIT_KNOWLEDGE_DIR");
        Path dir = p == null || p.isBlank() ? repoDir().resolve("../shared/knowledge/nhsa-2025").normalize() : Path.of(p);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("national knowledge directory not found: " + dir
                + " (set -Dpreaudit.knowledge.dir or PREAUDIT_KNOWLEDGE_DIR)");
        }
        return dir;
    }

    /** The default catalog's rules, in file order. */
    public static List<RuleDefinition> rules() {
        return CatalogFiles.loadRules(repoDir().resolve("rules-catalog"));
    }

    /** The project's knowledge sets with every national set imported over them (same name = replaced). */
    public static Map<String, KnowledgeSet> knowledge() {
        Map<String, KnowledgeSet> sets = new TreeMap<>();
        readDir(repoDir().resolve("rules-catalog/knowledge"), sets);
        Map<String, KnowledgeSet> national = new TreeMap<>();
        readDir(knowledgeDir(), national);
        if (national.size() < 21) throw new IllegalStateException("expected 21 national sets, found " + national.size());
        sets.putAll(national);
        return sets;
    }

    /** Names of the national sets (the ones the catalog-size scaling multiplies). */
    public static Set<String> nationalNames() {
        Map<String, KnowledgeSet> national = new TreeMap<>();
        readDir(knowledgeDir(), national);
        return national.keySet();
    }

    private static void readDir(Path dir, Map<String, KnowledgeSet> into) {
        into.putAll(CatalogFiles.loadKnowledge(dir));
    }

    /**
     * The national sets grown {@code factor} times: each national row gets {@code factor - 1} copies with synthetic
     * codes (the original code plus a suffix) that no benchmark order uses. Project-only sets are left as they are.
     */
    public static Map<String, KnowledgeSet> scaled(Map<String, KnowledgeSet> sets, Set<String> national, int factor) {
        if (factor <= 1) return sets;
        Map<String, KnowledgeSet> out = new TreeMap<>(sets);
        for (String name : national) {
            KnowledgeSet s = sets.get(name);
            List<KnowledgeRow> rows = new ArrayList<>(s.rows().size() * factor);
            rows.addAll(s.rows());
            for (int c = 1; c < factor; c++) {
                String suffix = "S" + c;
                for (KnowledgeRow r : s.rows()) {
                    List<String> codes = new ArrayList<>(r.itemCodes().size());
                    for (String code : r.itemCodes()) codes.add(code + suffix);
                    rows.add(new KnowledgeRow(r.kpId() + "-" + suffix, codes, r.values()));
                }
            }
            out.put(name, new KnowledgeSet(name, s.columns(), rows));
        }
        return out;
    }

    public static CatalogSnapshot snapshot(Map<String, KnowledgeSet> sets) {
        return CatalogSnapshot.compile(1, rules(), sets);
    }

    // ------------------------------------------------------------------------------------------------- orders

    /**
     * The kinds of lines an order cycles through (20 kinds: a 20-line order has one of each). Each kind draws real
     * codes from a national set; about half of them break a rule for this patient (a 66-year-old man, level-2
     * hospital, inpatient), the rest do not. Later occurrences of a kind take later rows, so long orders use
     * distinct codes.
     */
    private record Kind(String set, Predicate<KnowledgeRow> filter, String quantity, int historyDaysBack,
                        boolean partnerInHistory) {}

    private static final List<Kind> KINDS = List.of(
        new Kind("drug-gender", r -> "F".equals(r.values().get("gender")), "1", 1, false),          // hit
        new Kind("drug-gender", r -> "M".equals(r.values().get("gender")), "1", 0, false),          // no hit
        new Kind("service-gender", r -> "F".equals(r.values().get("gender")), "1", 0, false),       // hit
        new Kind("service-gender", r -> "M".equals(r.values().get("gender")), "1", 0, false),       // no hit
        new Kind("drug-child-only", r -> true, "1", 2, false),                                       // hit
        new Kind("service-child-only", r -> true, "1", 0, false),                                    // hit
        new Kind("drug-child-limited", r -> true, "1", 0, false),                                    // hit
        new Kind("drug-hospital-level", r -> "3".equals(r.values().get("min_hospital_level")), "1", 0, false), // hit
        new Kind("drug-hospital-level", r -> "2".equals(r.values().get("min_hospital_level")), "1", 3, false), // no
        new Kind("service-duplicate-charge", r -> true, "1", 0, true),                               // hit (pair)
        new Kind("service-frequency", r -> "DAY".equals(r.values().get("per")), "2", 1, false),     // hit
        new Kind("service-frequency", r -> "HOUR".equals(r.values().get("per")), "8", 1, false),    // no hit
        new Kind("drug-indication", r -> true, "1", 0, false),                                       // WARN reminder
        new Kind("drug-course-days", r -> true, "1", 5, false),
        new Kind("drug-care-mode", r -> true, "1", 0, false),
        new Kind("service-cycle-frequency", r -> true, "1", 2, false),
        new Kind("surgery-discount-group", r -> true, "1", 0, false),
        new Kind("herb-single-not-paid", r -> true, "1", 0, false),
        new Kind("drug-second-line", r -> true, "1", 4, false),
        new Kind("service-course-days", r -> true, "1", 6, false));

    /** A {@code lines}-line inpatient order with history, built from real national codes. */
    public static AuditInput order(Map<String, KnowledgeSet> sets, int lines) {
        return order(sets, lines, 0);
    }

    /**
     * The same order shape with other rows of the same sets: variant 0 is {@link #order(Map, int)}; another variant
     * draws each line's code from a row further on, so it runs the same rules on different index entries and rows.
     */
    public static AuditInput order(Map<String, KnowledgeSet> sets, int lines, int variant) {
        Map<Kind, List<KnowledgeRow>> pools = new LinkedHashMap<>();
        for (Kind k : KINDS) {
            List<KnowledgeRow> pool = sets.get(k.set()).rows().stream().filter(k.filter()).toList();
            if (pool.isEmpty()) throw new IllegalStateException("no rows for a line kind of " + k.set());
            pools.put(k, pool);
        }
        List<Line> req = new ArrayList<>(lines);
        List<Line> hist = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            Kind k = KINDS.get(i % KINDS.size());
            int occurrence = i / KINDS.size();
            List<KnowledgeRow> pool = pools.get(k);
            KnowledgeRow row = pool.get((occurrence * 7 + i + variant * 101) % pool.size());
            List<String> codes = row.itemCodes();
            String code = k.partnerInHistory() ? codes.get(1) : codes.get(occurrence % codes.size());
            String type = typeOf(code);
            LocalDateTime at = TODAY.atTime(9, 0).plusMinutes(i);
            String name = row.values().getOrDefault("item_name", "item " + i);
            BigDecimal qty = new BigDecimal(k.quantity());
            String rx = "HERB".equals(type) ? "RX-H" : "DRUG".equals(type) ? "RX-" + (i / 5) : null;
            req.add(line("L" + i, code, name, type, qty, at, "DRUG".equals(type) ? 3 : 1, rx, null));
            if (k.partnerInHistory()) {
                hist.add(line("H" + i + "p", codes.get(0), null, typeOf(codes.get(0)), BigDecimal.ONE,
                    TODAY.atTime(7, 30), 1, null, "E1"));
            }
            for (int d = 1; d <= k.historyDaysBack(); d++) {
                hist.add(line("H" + i + "d" + d, code, name, type, BigDecimal.ONE,
                    TODAY.minusDays(2L * d).atTime(8, 0), "DRUG".equals(type) ? 2 : 1, null, "E1"));
            }
        }
        Patient patient = new Patient("P1", "M", LocalDate.of(1959, 3, 3), "EMPLOYEE", null, List.of());
        Encounter enc = new Encounter("E1", TODAY.minusDays(12).atTime(10, 0), null, "A03", "D7",
            List.of(new Diagnosis("E11.900", "2型糖尿病", true), new Diagnosis("I10.x00", "高血压", false)));
        return new AuditInput("bench-" + lines, Stage.PRE_ORDER, Scenario.INPATIENT, new Hospital("H1", 2), patient,
            enc, List.copyOf(req), List.copyOf(hist));
    }

    private static Line line(String id, String code, String name, String type, BigDecimal qty, LocalDateTime at,
                             int days, String rx, String encounterId) {
        return new Line(id, code, name, type, qty, PRICE, PRICE, PRICE.multiply(qty), at, days, "A03", "D7", rx, null,
            false, false, encounterId);
    }

    /** The item type implied by the national code shape. */
    static String typeOf(String code) {
        char c = code.charAt(0);
        if ((c == 'X' || c == 'Z') && code.length() >= 20) return "DRUG";
        if (c == 'T') return "HERB";
        if (c == 'C' && code.length() >= 20) return "MATERIAL";
        return "SERVICE";
    }
}
