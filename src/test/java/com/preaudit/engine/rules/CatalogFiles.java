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

/** Loads the default rules-catalog/ (rules/*.yaml, knowledge/*.csv) the way the service does. */
final class CatalogFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .registerModule(new JavaTimeModule())
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The 34 rule classes of PRODUCT.md §7: code → {name, knowledge set or null}. */
    static final Map<String, String[]> SECTION7 = new LinkedHashMap<>();

    static {
        s7("GZ10000301004000", "药品区分性别使用", "drug-gender");
        s7("GZ10000302004000", "医疗服务项目区分性别使用", "service-gender");
        s7("GZ10000301002000", "药品儿童专用", "drug-child-only");
        s7("GZ10000101007000", "药品限儿童使用", "drug-child-limited");
        s7("GZ10000302003000", "医疗服务项目儿童专用", "service-child-only");
        s7("GZ2025029", "医疗服务项目限年龄", "service-age");
        s7("GZ10000101001000", "药品限工伤保险", "drug-work-injury-insurance");
        s7("GZ10000101002000", "药品限生育保险", "drug-maternity-insurance");
        s7("GZ2025013", "药品限就医方式", "drug-care-mode");
        s7("GZ10000101012000", "药品限医疗机构级别", "drug-hospital-level");
        s7("GZ2025047", "超互联网医院药品支付范围", "drug-internet-hospital");
        s7("GZ10000101003000", "中药饮片单复方均不予支付", "herb-never-paid");
        s7("GZ10000101004000", "中药饮片单方使用不予支付", "herb-single-not-paid");
        s7("GZ10000101008000", "药品限适应症", "drug-indication");
        s7("GZ10000101005000", "药品限二线使用", "drug-second-line");
        s7("GZ10000101010000", "药品限支付疗程", "drug-course-days");
        s7("GZ10000102010000", "医疗服务项目限支付疗程", "service-course-days");
        s7("GZ10000102012000", "医疗服务项目重复收费", "service-duplicate-charge");
        s7("GZ10000102014000", "医疗服务项目限定频次", "service-frequency");
        s7("GZ2025031", "医疗服务项目周期超频次", "service-cycle-frequency");
        s7("GZ10000102002000", "手术项目未按规定折价收费", "surgery-discount-group");
        s7("GZ10000204006000", "诊断与患者性别不符", "diagnosis-gender");
        s7("GZ10000204007000", "诊断与患者年龄不符", "diagnosis-age");
        s7("GZ2025009", "药品限最大开药天数/开药量", null);
        s7("GZ10000202004000", "药品种类超标", null);
        s7("LOCAL-DUP-DRUG", "重复用药", null);
        s7("LOCAL-AMOUNT", "大额/单项超限", null);
        s7("GZ10000102008000", "医疗服务项目限科室使用", "service-department");
        s7("LOCAL-COMPANION", "项目与项目匹配（关联缺失）", "service-companion");
        s7("GZ10000201008000", "计费日期与住院时间不符", null);
        s7("LOCAL-CHRONIC", "门诊慢特病限定用药", "chronic-disease-drug");
        s7("LOCAL-FEE-GRADE", "医保费用等级提示", "fee-grade");
        s7("LOCAL-ENCOUNTER-SHARE", "次均费用/药占比/耗占比/自费占比超标提醒", "encounter-quota");
        s7("LOCAL-REPEAT-EXAM", "重复检查", "repeat-exam");
        MedicalRules.register();
    }

    // round two (issue 19): the policy / management / material classes
    static {
        PolicyRoundTwo.register(CatalogFiles::s7);
    }

    static void s7(String code, String name, String set) {
        SECTION7.put(code, new String[] {name, set});
    }

    private CatalogFiles() {}

    /** rules-catalog/ of the project: system property {@code preaudit.catalog.dir}, else ./rules-catalog. */
    static Path catalogDir() {
        String p = System.getProperty("preaudit.catalog.dir");
        return Path.of(p != null && !p.isBlank() ? p : "rules-catalog");
    }

    static List<RuleDefinition> loadRules(Path catalogDir) {
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

    static Map<String, KnowledgeSet> loadKnowledge(Path dir) {
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
