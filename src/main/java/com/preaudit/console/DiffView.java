package com.preaudit.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.preaudit.catalog.CatalogContent;
import com.preaudit.catalog.CatalogDiff;
import com.preaudit.catalog.CatalogJson;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A catalog diff a 医保科 reader can follow: each added, removed or changed rule with its name and, for a
 * change, the fields that differ side by side in plain words; each knowledge set's added, removed and
 * changed rows with their item codes and values, old beside new. Built from {@link CatalogDiff} (the
 * API's diff) plus the two contents it compared.
 */
@TemplateData
public record DiffView(String fromLabel, String toLabel, List<RuleChange> rules, List<SetChange> sets, boolean empty) {

    static final int MAX_ROWS = 100;

    static final Map<String, String> FIELD_LABELS = new LinkedHashMap<>();

    static {
        FIELD_LABELS.put("name", "名称");
        FIELD_LABELS.put("enabled", "启用");
        FIELD_LABELS.put("actions", "各环节动作");
        FIELD_LABELS.put("when", "条件表达式");
        FIELD_LABELS.put("message", "提示信息");
        FIELD_LABELS.put("knowledgeSet", "知识库");
        FIELD_LABELS.put("tier", "层级");
        FIELD_LABELS.put("category", "类别");
        FIELD_LABELS.put("resultType", "结果类型");
        FIELD_LABELS.put("scenarios", "就诊场景");
        FIELD_LABELS.put("insuranceTypes", "险种");
        FIELD_LABELS.put("hospitalLevels", "医院等级");
        FIELD_LABELS.put("effectiveFrom", "生效日期");
        FIELD_LABELS.put("effectiveTo", "失效日期");
        FIELD_LABELS.put("params", "参数");
        FIELD_LABELS.put("scope", "范围");
        FIELD_LABELS.put("matchOn", "匹配方式");
        FIELD_LABELS.put("itemTypes", "项目类型");
        FIELD_LABELS.put("source", "依据");
        FIELD_LABELS.put("tests", "测试用例");
    }

    @TemplateData
    public record Field(String label, String before, String after) { }

    @TemplateData
    public record RuleChange(String kind, String kindLabel, String code, String name, List<Field> fields) { }

    @TemplateData
    public record RowChange(String kind, String kindLabel, String kpId, String before, String after) { }

    @TemplateData
    public record SetChange(String name, String statusLabel, int added, int removed, int changed, List<RowChange> rows, boolean truncated) { }

    static DiffView of(String fromLabel, CatalogContent from, String toLabel, CatalogContent to) {
        CatalogDiff d = CatalogDiff.of(0, from, 0, to);
        List<RuleChange> rules = new ArrayList<>();
        for (String code : d.rules().added()) {
            RuleDefinition r = to.rules().get(code);
            rules.add(new RuleChange("added", "新增", code, r.name(), fields(null, r)));
        }
        for (String code : d.rules().removed()) {
            RuleDefinition r = from.rules().get(code);
            rules.add(new RuleChange("removed", "删除", code, r.name(), List.of()));
        }
        for (String code : d.rules().changed()) {
            rules.add(new RuleChange("changed", "修改", code, to.rules().get(code).name(), fields(from.rules().get(code), to.rules().get(code))));
        }
        List<SetChange> sets = new ArrayList<>();
        for (CatalogDiff.SetChanges s : d.knowledgeSets()) {
            Map<String, KnowledgeRow> a = index(from.sets().get(s.name()));
            Map<String, KnowledgeRow> b = index(to.sets().get(s.name()));
            List<RowChange> rows = new ArrayList<>();
            for (String id : s.added()) {
                rows.add(new RowChange("added", "新增", id, "", describe(b.get(id))));
            }
            for (String id : s.removed()) {
                rows.add(new RowChange("removed", "删除", id, describe(a.get(id)), ""));
            }
            for (String id : s.changed()) {
                rows.add(new RowChange("changed", "修改", id, describe(a.get(id)), describe(b.get(id))));
            }
            boolean truncated = rows.size() > MAX_ROWS;
            String status = switch (s.status()) {
                case "ADDED" -> "新增知识库";
                case "REMOVED" -> "删除知识库";
                default -> "有改动";
            };
            sets.add(new SetChange(s.name(), status, s.added().size(), s.removed().size(), s.changed().size(),
                    truncated ? rows.subList(0, MAX_ROWS) : rows, truncated));
        }
        return new DiffView(fromLabel, toLabel, rules, sets, d.empty());
    }

    /** The fields of a rule that differ, in the order a reader cares about (added rule: every field set). */
    static List<Field> fields(RuleDefinition before, RuleDefinition after) {
        JsonNode a = before == null ? null : CatalogJson.JSON.valueToTree(before);
        JsonNode b = CatalogJson.JSON.valueToTree(after);
        TreeSet<String> names = new TreeSet<>();
        b.fieldNames().forEachRemaining(names::add);
        if (a != null) {
            a.fieldNames().forEachRemaining(names::add);
        }
        List<String> ordered = new ArrayList<>();
        FIELD_LABELS.keySet().stream().filter(names::contains).forEach(ordered::add);
        names.stream().filter(n -> !FIELD_LABELS.containsKey(n) && !n.equals("code")).forEach(ordered::add);
        List<Field> out = new ArrayList<>();
        for (String n : ordered) {
            String va = a == null ? "" : text(a.get(n));
            String vb = text(b.get(n));
            if (!Objects.equals(va, vb) && !(before == null && vb.isEmpty())) {
                out.add(new Field(FIELD_LABELS.getOrDefault(n, n), va, vb));
            }
        }
        return out;
    }

    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "";
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(sb.length() == 0 ? "" : "，").append(e.getKey()).append(": ").append(text(e.getValue()));
            }
            return sb.toString();
        }
        return n.toString();
    }

    static String describe(KnowledgeRow r) {
        if (r == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("编码 ").append(String.join(" | ", r.itemCodes()));
        r.values().forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                sb.append("；").append(k).append("：").append(v);
            }
        });
        return sb.toString();
    }

    static Map<String, KnowledgeRow> index(KnowledgeSet s) {
        Map<String, KnowledgeRow> m = new LinkedHashMap<>();
        if (s != null) {
            s.rows().forEach(r -> m.put(r.kpId(), r));
        }
        return m;
    }
}
