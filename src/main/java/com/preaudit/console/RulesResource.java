package com.preaudit.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditRequests;
import com.preaudit.audit.AuditResponse;
import com.preaudit.audit.AuditService;
import com.preaudit.audit.AuditStore;
import com.preaudit.catalog.CatalogJson;
import com.preaudit.catalog.CatalogService;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.Problem;
import com.preaudit.engine.TestFailure;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.RuleTest;
import com.preaudit.engine.model.Stage;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * 规则: the rule list (search, filter by tier, category, stage, action; paged), one rule with its tests
 * and knowledge set, and for authors the draft editor with live validation, the rule's own tests and
 * "try on an order". Every change goes through {@link CatalogService}, as the API's does.
 */
@Path("/console/rules")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({com.preaudit.platform.Roles.RULE_AUTHOR, com.preaudit.platform.Roles.RULE_PUBLISHER,
        com.preaudit.platform.Roles.ANALYST, com.preaudit.platform.Roles.ADMIN})
public class RulesResource {

    static final Map<String, String> TIERS = Map.of("POLICY", "政策类", "MANAGEMENT", "管理类", "MEDICAL", "医疗类");
    static final Map<String, String> STAGES = new LinkedHashMap<>();
    static final Map<String, String> ACTIONS = new LinkedHashMap<>();

    static {
        STAGES.put("PRE_ORDER", "开单前");
        STAGES.put("PRE_CHARGE", "计费前");
        STAGES.put("PRE_SETTLEMENT", "结算前");
        for (Action a : Action.values()) {
            ACTIONS.put(a.name(), switch (a.name()) {
                case "INFO" -> "提示";
                case "WARN" -> "提醒";
                case "BLOCK" -> "拦截";
                case "SHADOW" -> "影子";
                default -> a.name();
            });
        }
    }

    public record Option(String value, String label, boolean selected) { }

    public record RuleRow(String code, String name, String tier, String category, List<String> actions, String knowledgeSet,
                          int tests, boolean enabled) { }

    public record Filters(String q, List<Option> tiers, List<Option> categories, List<Option> stages, List<Option> actions,
                          boolean active) { }

    public record StageAction(String stage, String label, List<Option> options, String current) { }

    public record TestResult(String name, boolean passed, String message) { }

    public record TryResult(String decision, List<AuditResponse.FindingDto> findings, List<AuditResponse.SkippedDto> skipped) { }

    /** Everything the rule page shows; the editor's fields hold what was typed when a save was refused. */
    public record RulePage(RuleDefinition rule, boolean draft, Integer activeVersion, String tier, List<String> actionLabels,
                           String name, String when, String message, List<StageAction> stageActions, boolean enabled,
                           List<ProblemView> problems, String saved, List<TestResult> tests, String testError,
                           String order, String auditId, TryResult tried, String tryError, String testsJson) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance rules(Paging<RuleRow> paging, Filters filters, long total);

        static native TemplateInstance rule(RulePage page);
    }

    private final CatalogService catalog;
    private final AuditService audits;
    private final ConsoleUser user;
    private final ObjectMapper mapper;

    public RulesResource(CatalogService catalog, AuditService audits, ConsoleUser user, ObjectMapper mapper) {
        this.catalog = catalog;
        this.audits = audits;
        this.user = user;
        this.mapper = mapper;
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("tier") String tier, @QueryParam("category") String category,
                                 @QueryParam("stage") String stage, @QueryParam("action") String action,
                                 @QueryParam("version") String version, @QueryParam("page") String page) {
        boolean active = "active".equals(version);
        Integer activeVersion = catalog.activeVersion();
        List<RuleDefinition> all = active && activeVersion != null ? catalog.rules(activeVersion, null, null) : catalog.rules(null, null, null);
        TreeSet<String> categories = new TreeSet<>();
        all.forEach(r -> {
            if (r.category() != null) {
                categories.add(r.category());
            }
        });
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
        List<RuleRow> rows = new ArrayList<>();
        for (RuleDefinition r : all) {
            if (!needle.isEmpty() && !(r.code().toLowerCase(Locale.ROOT).contains(needle)
                    || (r.name() != null && r.name().toLowerCase(Locale.ROOT).contains(needle)))) {
                continue;
            }
            if (blank(tier) || (r.tier() != null && r.tier().name().equals(tier))) {
                if (blank(category) || category.equals(r.category())) {
                    Map<Stage, Action> acts = r.actions() == null ? Map.of() : r.actions();
                    boolean stageOk = blank(stage) || acts.keySet().stream().anyMatch(s -> s.name().equals(stage));
                    boolean actionOk = blank(action) || acts.entrySet().stream()
                            .anyMatch(e -> e.getValue().name().equals(action) && (blank(stage) || e.getKey().name().equals(stage)));
                    if (stageOk && actionOk) {
                        rows.add(new RuleRow(r.code(), r.name(), TIERS.getOrDefault(r.tier() == null ? "" : r.tier().name(), ""),
                                r.category(), actionLabels(r), r.knowledgeSet(), r.tests() == null ? 0 : r.tests().size(),
                                r.enabled() == null || r.enabled()));
                    }
                }
            }
        }
        Filters filters = new Filters(q == null ? "" : q, options(TIERS.keySet().stream().sorted().toList(), TIERS, tier),
                options(new ArrayList<>(categories), Map.of(), category), options(new ArrayList<>(STAGES.keySet()), STAGES, stage),
                options(new ArrayList<>(ACTIONS.keySet()), ACTIONS, action), active);
        String query = query("q", q, "tier", tier, "category", category, "stage", stage, "action", action, "version", version);
        return Templates.rules(Paging.of(rows, page, query), filters, all.size());
    }

    @GET
    @Path("/{code}")
    public TemplateInstance show(@PathParam("code") String code, @QueryParam("version") String version,
                                 @QueryParam("saved") String saved) {
        Integer v = "active".equals(version) ? catalog.activeVersion() : null;
        RuleDefinition rule = find(code, v);
        return Templates.rule(page(rule, v == null, saved == null ? null : "已保存到草稿。发布后生效。", List.of(), null, null, null, null, null, null, null));
    }

    /** Live validation for the editor (fetch from console.js): the same checks as saving, nothing saved. */
    @POST
    @Path("/{code}/validate")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({com.preaudit.platform.Roles.RULE_AUTHOR, com.preaudit.platform.Roles.RULE_PUBLISHER, com.preaudit.platform.Roles.ADMIN})
    public Map<String, Object> validate(@PathParam("code") String code, @HeaderParam("X-CSRF-Token") String csrf,
                                        @RestForm String name, @RestForm String when, @RestForm String message,
                                        @RestForm("action_PRE_ORDER") String a1, @RestForm("action_PRE_CHARGE") String a2,
                                        @RestForm("action_PRE_SETTLEMENT") String a3, @RestForm String enabled) {
        user.checkCsrf(csrf);
        RuleDefinition edited = edited(find(code, null), name, when, message, a1, a2, a3, enabled);
        List<Problem> problems = catalog.validate(edited);
        List<FieldError> errors = problems.stream().map(p -> new FieldError(p.field() == null ? "/" : "/" + p.field(), p.message(), p.position())).toList();
        return Map.of("valid", errors.isEmpty(), "problems", ProblemView.of(errors, texts(when, message)));
    }

    @POST
    @Path("/{code}")
    @RolesAllowed({com.preaudit.platform.Roles.RULE_AUTHOR, com.preaudit.platform.Roles.RULE_PUBLISHER, com.preaudit.platform.Roles.ADMIN})
    public Response save(@PathParam("code") String code, @RestForm("_csrf") String csrf,
                       @RestForm String name, @RestForm String when, @RestForm String message,
                       @RestForm("action_PRE_ORDER") String a1, @RestForm("action_PRE_CHARGE") String a2,
                       @RestForm("action_PRE_SETTLEMENT") String a3, @RestForm String enabled) {
        user.checkCsrf(csrf);
        RuleDefinition current = find(code, null);
        RuleDefinition edited = edited(current, name, when, message, a1, a2, a3, enabled);
        try {
            catalog.putRule(code, edited);
        } catch (ApiException e) {
            List<ProblemView> problems = e.errors().isEmpty() ? List.of(new ProblemView("/", "", e.getMessage(), null, null, null, null, 0, 0))
                    : ProblemView.of(e.errors(), texts(when, message));
            return ConsolePages.page(422, Templates.rule(page(edited, true, null, problems, null, null, null, null, null, null, null)));
        }
        return Response.seeOther(URI.create("/console/rules/" + enc(code) + "?saved=1")).build();
    }

    @POST
    @Path("/{code}/tests")
    @RolesAllowed({com.preaudit.platform.Roles.RULE_AUTHOR, com.preaudit.platform.Roles.RULE_PUBLISHER, com.preaudit.platform.Roles.ADMIN})
    public TemplateInstance runTests(@PathParam("code") String code, @RestForm("_csrf") String csrf) {
        user.checkCsrf(csrf);
        RuleDefinition rule = find(code, null);
        List<TestResult> results = new ArrayList<>();
        String error = null;
        try {
            CatalogSnapshot draft = catalog.draftSnapshot();
            List<TestFailure> failures = draft.runRuleTests().stream().filter(f -> f.ruleCode().equals(code)).toList();
            List<RuleTest> tests = rule.tests() == null ? List.of() : rule.tests();
            for (int i = 0; i < tests.size(); i++) {
                String name = tests.get(i) == null || tests.get(i).name() == null ? "tests[" + i + "]" : tests.get(i).name();
                TestFailure f = failures.stream().filter(x -> x.testName().equals(name)).findFirst().orElse(null);
                results.add(new TestResult(name, f == null, f == null ? "通过" : f.message()));
            }
            if (tests.isEmpty()) {
                error = "这条规则没有自带测试用例。";
            }
        } catch (ApiException e) {
            error = "草稿无法编译，测试未运行：" + e.getMessage() + " "
                    + e.errors().stream().map(x -> x.field() + " " + x.message()).toList();
        }
        return Templates.rule(page(rule, true, null, List.of(), null, results, error, null, null, null, null));
    }

    @POST
    @Path("/{code}/try")
    @RolesAllowed({com.preaudit.platform.Roles.RULE_AUTHOR, com.preaudit.platform.Roles.RULE_PUBLISHER, com.preaudit.platform.Roles.ADMIN})
    public TemplateInstance tryOrder(@PathParam("code") String code, @RestForm("_csrf") String csrf,
                                     @RestForm String order, @RestForm String auditId) {
        user.checkCsrf(csrf);
        RuleDefinition rule = find(code, null);
        String text = order == null ? "" : order;
        String error = null;
        TryResult tried = null;
        try {
            AuditRequest request;
            if (!blank(auditId)) {
                if (!user.canAudits()) {
                    throw new ConsoleException(403, "读取已存审核记录需要 analyst 或 admin 角色。");
                }
                AuditStore.StoredAudit stored = audits.find(auditId.trim())
                        .orElseThrow(() -> new IllegalArgumentException("没有审核记录 " + auditId.trim()));
                request = stored.request();
                text = CatalogJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request);
            } else if (blank(text)) {
                throw new IllegalArgumentException("请粘贴一条审核请求（JSON），或填写一条已存审核记录的 auditId。");
            } else {
                request = mapper.readValue(text, AuditRequest.class);
            }
            List<FieldError> invalid = AuditRequests.validate(request);
            if (!invalid.isEmpty()) {
                throw new IllegalArgumentException("审核请求不完整：" + invalid.stream().map(f -> f.field() + " " + f.message()).toList());
            }
            AuditResponse r = AuditService.dryRun(catalog.draftSnapshot(), request, code);
            tried = new TryResult(r.decision().name(), r.findings(), r.skipped());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error = "不是有效的 JSON：" + e.getOriginalMessage();
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        } catch (ApiException e) {
            error = e.getMessage() + " " + e.errors().stream().map(x -> x.field() + " " + x.message()).toList();
        }
        return Templates.rule(page(rule, true, null, List.of(), null, null, null, text, auditId, tried, error));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private RuleDefinition find(String code, Integer version) {
        try {
            return catalog.rule(code, version);
        } catch (ApiException e) {
            throw new ConsoleException(e.status(), "没有规则 " + code + (version == null ? "（草稿中）" : "（版本 " + version + "）"));
        }
    }

    private RulePage page(RuleDefinition rule, boolean draft, String saved, List<ProblemView> problems, String unused,
                          List<TestResult> tests, String testError, String order, String auditId, TryResult tried, String tryError) {
        List<StageAction> stageActions = new ArrayList<>();
        Map<Stage, Action> acts = rule.actions() == null ? Map.of() : rule.actions();
        for (Map.Entry<String, String> s : STAGES.entrySet()) {
            Action current = acts.get(Stage.valueOf(s.getKey()));
            List<Option> opts = new ArrayList<>();
            opts.add(new Option("", "不审核", current == null));
            ACTIONS.forEach((k, label) -> opts.add(new Option(k, label + "（" + k + "）", current != null && current.name().equals(k))));
            stageActions.add(new StageAction(s.getKey(), s.getValue(), opts, current == null ? "" : current.name()));
        }
        String testsJson;
        try {
            testsJson = rule.tests() == null ? "" : CatalogJson.YAML.writeValueAsString(rule.tests());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            testsJson = "";
        }
        return new RulePage(rule, draft, catalog.activeVersion(), TIERS.getOrDefault(rule.tier() == null ? "" : rule.tier().name(), ""),
                actionLabels(rule), nz(rule.name()), nz(rule.when()), nz(rule.message()), stageActions,
                rule.enabled() == null || rule.enabled(), problems, saved, tests, testError, order, auditId, tried, tryError, testsJson);
    }

    static RuleDefinition edited(RuleDefinition r, String name, String when, String message, String a1, String a2, String a3, String enabled) {
        Map<Stage, Action> actions = new EnumMap<>(Stage.class);
        String[] picked = {a1, a2, a3};
        Stage[] stages = {Stage.PRE_ORDER, Stage.PRE_CHARGE, Stage.PRE_SETTLEMENT};
        for (int i = 0; i < stages.length; i++) {
            if (!blank(picked[i])) {
                try {
                    actions.put(stages[i], Action.valueOf(picked[i]));
                } catch (IllegalArgumentException e) {
                    throw new ConsoleException(400, "未知的动作 " + picked[i] + "，可选：" + ACTIONS.keySet());
                }
            }
        }
        return new RuleDefinition(r.code(), name == null ? r.name() : name.trim(), r.tier(), r.category(), r.resultType(), actions,
                r.scenarios(), r.insuranceTypes(), r.hospitalLevels(), r.effectiveFrom(), r.effectiveTo(), r.source(), r.params(),
                r.knowledgeSet(), r.scope(), r.matchOn(), r.itemTypes(), when == null ? r.when() : when, message == null ? r.message() : message,
                r.tests(), enabled == null ? Boolean.FALSE : Boolean.TRUE);
    }

    static Map<String, String> texts(String when, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("/when", nz(when));
        m.put("/message", nz(message));
        return m;
    }

    static List<String> actionLabels(RuleDefinition r) {
        List<String> out = new ArrayList<>();
        if (r.actions() != null) {
            for (Map.Entry<String, String> s : STAGES.entrySet()) {
                Action a = r.actions().get(Stage.valueOf(s.getKey()));
                if (a != null) {
                    out.add(s.getValue() + "：" + ACTIONS.getOrDefault(a.name(), a.name()));
                }
            }
        }
        return out;
    }

    static List<Option> options(List<String> values, Map<String, String> labels, String selected) {
        List<Option> out = new ArrayList<>();
        for (String v : values) {
            out.add(new Option(v, labels.getOrDefault(v, v), v.equals(selected)));
        }
        return out;
    }

    static String query(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (!blank(kv[i + 1])) {
                sb.append(sb.length() == 0 ? "" : "&").append(kv[i]).append('=').append(enc(kv[i + 1]));
            }
        }
        return sb.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
