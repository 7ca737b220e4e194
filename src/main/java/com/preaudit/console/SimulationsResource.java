package com.preaudit.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.preaudit.catalog.CatalogService;
import com.preaudit.catalog.CatalogStore;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.Roles;
import com.preaudit.simulation.SimulationRequest;
import com.preaudit.simulation.SimulationResult;
import com.preaudit.simulation.SimulationService;
import com.preaudit.simulation.SimulationView;
import com.preaudit.stats.StatsConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * 试运行: the impact simulations (PRODUCT.md §11) as the 医保科 starts and reads them. The list (paged) with a form to
 * start one (candidate draft or version, baseline active or version, period, stage, scenario), one simulation with
 * its progress (the page polls a fragment while it runs) and, once it has a result, what the candidate adds and
 * removes by rule, department and doctor, the decisions it changes and the money it moves. Everything goes through
 * {@link SimulationService}, as the API's does; the roles are the API's.
 */
@Path("/console/simulations")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ADMIN})
public class SimulationsResource {

    static final Map<String, String> STATUS = Map.of("RUNNING", "运行中", "DONE", "已完成", "FAILED", "失败", "CANCELLED", "已取消");
    static final Map<String, String> DECISIONS = Map.of("PASS", "通过", "WARN", "提醒", "BLOCK", "拦截");
    static final Map<String, String> SCENARIOS = new LinkedHashMap<>();
    static final Map<String, String> FIELDS = Map.of("/candidate", "试运行的规则", "/baseline", "对照的规则", "/from", "开始日期",
            "/to", "结束日期", "/stage", "环节", "/scenario", "场景", "/", "请求");
    /** Rows of the department and doctor tables shown; the rest are counted in the totals and the CSV-free API. */
    static final int SHOWN = 50;
    /** Bars in a chart: more would not be readable at 1366×768. */
    static final int BARS = 15;
    /** How long a page keeps polling a cancelled simulation for the partial result its worker writes. */
    static final Duration CANCEL_GRACE = Duration.ofMinutes(1);

    static {
        SCENARIOS.put("OUTPATIENT", "门诊");
        SCENARIOS.put("EMERGENCY", "急诊");
        SCENARIOS.put("INPATIENT", "住院");
        SCENARIOS.put("PHARMACY", "药房");
        SCENARIOS.put("INTERNET", "互联网医院");
    }

    public record Row(String id, String status, String statusLabel, String candidate, String baseline, String period, String scope,
                      String createdBy, String createdAt, String progress) { }

    /** The start form: what was chosen (or typed, when refused) and the choices. */
    public record Form(String from, String to, List<RulesResource.Option> candidates, List<RulesResource.Option> baselines,
                       List<RulesResource.Option> stages, List<RulesResource.Option> scenarios) { }

    /** Where a running simulation is: replayed of total, as a share. */
    public record Progress(String id, String status, String statusLabel, long replayed, long total, int percent, boolean polling) {
        public boolean counted() {
            return total > 0;
        }
    }

    public record Change(String from, String to, String label, long audits) { }

    /** A rule's, department's or doctor's row: findings added and removed, and their money. */
    public record ImpactRow(String key, String name, long added, long removed, String amountAdded, String amountRemoved, String net) { }

    public record Sample(String auditId, List<String> added, List<String> removed) { }

    /** The result as the 医保科 reads it. */
    public record Outcome(long audits, long changedAudits, long unreadable, long added, long removed, String amountAdded,
                          String amountRemoved, String net, List<Change> decisions, List<ImpactRow> rules, List<ImpactRow> departments,
                          List<ImpactRow> doctors, long departmentCount, long doctorCount, List<Sample> samples, String ruleChart,
                          String departmentChart, String seconds) {
        public boolean unchanged() {
            return added == 0 && removed == 0 && decisions.isEmpty();
        }

        public boolean departmentsCut() {
            return departmentCount > departments.size();
        }

        public boolean doctorsCut() {
            return doctorCount > doctors.size();
        }

        public boolean someUnreadable() {
            return unreadable > 0;
        }
    }

    public record Page(SimulationView sim, String candidate, String baseline, String period, String scope, String createdAt,
                       String finishedAt, Progress progress, Outcome outcome) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance simulations(Form form, Paging<Row> paging, List<String> errors);

        static native TemplateInstance simulation(Page page, String message, String error);

        static native TemplateInstance simulationProgress(Progress progress);
    }

    private final SimulationService simulations;
    private final CatalogService catalog;
    private final CatalogStore store;
    private final ConsoleUser user;
    private final ZoneId zone;

    public SimulationsResource(SimulationService simulations, CatalogService catalog, CatalogStore store, ConsoleUser user, StatsConfig stats) {
        this.simulations = simulations;
        this.catalog = catalog;
        this.store = store;
        this.user = user;
        // the days of a simulation's period are the statistics' days, as SimulationService reads them
        this.zone = stats.zoneId();
    }

    @GET
    public TemplateInstance list(@QueryParam("page") String page, @QueryParam("candidate") String candidate) {
        LocalDate today = LocalDate.now(zone);
        // the 版本 page links a pending version here, to see its impact before approving it
        String chosen = candidate == null || candidate.isBlank() ? "draft" : candidate.trim();
        return Templates.simulations(form(chosen, "active", today.minusDays(6).toString(), today.toString(), "", ""), rows(page), List.of());
    }

    @POST
    public Response start(@RestForm("_csrf") String csrf, @RestForm String candidate, @RestForm String baseline, @RestForm String from,
                          @RestForm String to, @RestForm String stage, @RestForm String scenario) {
        user.checkCsrf(csrf);
        SimulationRequest request = new SimulationRequest(node(candidate, "draft"), node(baseline, "active"), trim(from), trim(to),
                blankToNull(stage), blankToNull(scenario));
        try {
            SimulationView started = simulations.start(request, user.subject());
            return Response.seeOther(URI.create("/console/simulations/" + started.id())).build();
        } catch (ApiException e) {
            return ConsolePages.page(e.status(), Templates.simulations(form(nz(candidate), nz(baseline), nz(from), nz(to), nz(stage),
                    nz(scenario)), rows(null), FieldMessages.of(e, FIELDS, refusal(e))));
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance show(@PathParam("id") String id, @QueryParam("cancelled") String cancelled) {
        return Templates.simulation(page(find(id)), cancelled != null ? "已取消。取消前已回放的部分汇总如下。" : null, null);
    }

    /** The progress fragment the page polls while the simulation runs (htmx-style, without a library). */
    @GET
    @Path("/{id}/progress")
    public TemplateInstance progress(@PathParam("id") String id) {
        return Templates.simulationProgress(progress(find(id)));
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") String id, @RestForm("_csrf") String csrf) {
        user.checkCsrf(csrf);
        UUID uuid = uuid(id);
        try {
            simulations.cancel(uuid);
        } catch (ApiException e) {
            if (e.status() == 404) {
                throw new ConsoleException(404, "没有试运行 " + id);
            }
            SimulationView now = simulations.get(uuid);
            String error = "试运行已" + STATUS.getOrDefault(now.status(), now.status()) + "，只有运行中的试运行可以取消。";
            return ConsolePages.page(e.status(), Templates.simulation(page(now), null, error));
        }
        return Response.seeOther(URI.create("/console/simulations/" + id + "?cancelled=1")).build();
    }

    // ---- list and form -------------------------------------------------------------------------

    private Paging<Row> rows(String pageParam) {
        long total = simulations.count();
        int pages = (int) Math.max(1, (total + Paging.SIZE - 1) / Paging.SIZE);
        int page = Math.min(Math.max(parse(pageParam), 1), pages);
        List<Row> rows = simulations.list((page - 1) * Paging.SIZE, Paging.SIZE).stream().map(s -> new Row(s.id(), s.status(),
                STATUS.getOrDefault(s.status(), s.status()), candidateLabel(s), baselineLabel(s), s.from() + " 至 " + s.to(), scope(s),
                s.createdBy(), time(s.createdAt()), s.progress().total() == 0 ? "" : s.progress().replayed() + " / " + s.progress().total()))
                .toList();
        return new Paging<>(rows, page, pages, total, "");
    }

    private Form form(String candidate, String baseline, String from, String to, String stage, String scenario) {
        Integer active = catalog.activeVersion();
        List<CatalogStore.VersionRow> versions = new ArrayList<>(QuarkusTransaction.joiningExisting().call(store::versions));
        versions.sort((a, b) -> Integer.compare(b.version(), a.version()));
        List<RulesResource.Option> candidates = new ArrayList<>();
        candidates.add(new RulesResource.Option("draft", "草稿（尚未发布的改动）", "draft".equals(candidate)));
        List<RulesResource.Option> baselines = new ArrayList<>();
        baselines.add(new RulesResource.Option("active", "生效版本" + (active == null ? "" : "（v" + active + "）"), "active".equals(baseline)));
        for (CatalogStore.VersionRow v : versions) {
            String label = versionLabel(v, active);
            String value = Integer.toString(v.version());
            candidates.add(new RulesResource.Option(value, label, value.equals(candidate)));
            baselines.add(new RulesResource.Option(value, label, value.equals(baseline)));
        }
        List<RulesResource.Option> stages = new ArrayList<>();
        stages.add(new RulesResource.Option("", "全部环节", stage == null || stage.isEmpty()));
        RulesResource.STAGES.forEach((k, label) -> stages.add(new RulesResource.Option(k, label, k.equals(stage))));
        List<RulesResource.Option> scenarios = new ArrayList<>();
        scenarios.add(new RulesResource.Option("", "全部场景", scenario == null || scenario.isEmpty()));
        SCENARIOS.forEach((k, label) -> scenarios.add(new RulesResource.Option(k, label, k.equals(scenario))));
        return new Form(from, to, candidates, baselines, stages, scenarios);
    }

    private static String versionLabel(CatalogStore.VersionRow v, Integer active) {
        String note = v.note() == null ? "" : v.note().length() > 24 ? v.note().substring(0, 24) + "…" : v.note();
        String state = active != null && active == v.version() ? "，生效中" : "PENDING".equals(v.status()) ? "，待审批"
                : "REJECTED".equals(v.status()) ? "，已驳回" : "";
        return "v" + v.version() + (note.isEmpty() ? "" : " " + note) + "（" + (v.publishedBy() == null ? "" : v.publishedBy()) + state + "）";
    }

    // ---- one simulation ------------------------------------------------------------------------

    private SimulationView find(String id) {
        try {
            return simulations.get(uuid(id));
        } catch (ApiException e) {
            throw new ConsoleException(404, "没有试运行 " + id);
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(404, "没有试运行 " + id);
        }
    }

    private Page page(SimulationView s) {
        return new Page(s, candidateLabel(s), baselineLabel(s), s.from() + " 至 " + s.to(), scope(s), time(s.createdAt()),
                time(s.finishedAt()), progress(s), s.result() == null ? null : outcome(s.result()));
    }

    static Progress progress(SimulationView s) {
        long replayed = s.progress().replayed();
        long total = s.progress().total();
        int percent = total == 0 ? 0 : (int) Math.min(100, replayed * 100 / total);
        boolean polling = "RUNNING".equals(s.status()) || ("CANCELLED".equals(s.status()) && s.result() == null
                && s.finishedAt() != null && s.finishedAt().isAfter(OffsetDateTime.now().minus(CANCEL_GRACE)));
        return new Progress(s.id(), s.status(), STATUS.getOrDefault(s.status(), s.status()), replayed, total, percent, polling);
    }

    static Outcome outcome(SimulationResult r) {
        long added = 0, removed = 0;
        BigDecimal amountAdded = BigDecimal.ZERO, amountRemoved = BigDecimal.ZERO;
        List<ImpactRow> rules = new ArrayList<>();
        for (SimulationResult.RuleRow x : r.byRule()) {
            added += x.added();
            removed += x.removed();
            amountAdded = amountAdded.add(nz(x.amountAdded()));
            amountRemoved = amountRemoved.add(nz(x.amountRemoved()));
            rules.add(row(x.ruleCode(), x.ruleName(), x.added(), x.removed(), x.amountAdded(), x.amountRemoved()));
        }
        List<ImpactRow> departments = new ArrayList<>();
        r.byDepartment().forEach(x -> departments.add(row(x.departmentCode(), null, x.added(), x.removed(), x.amountAdded(), x.amountRemoved())));
        List<ImpactRow> doctors = new ArrayList<>();
        r.byDoctor().forEach(x -> doctors.add(row(x.doctorId(), null, x.added(), x.removed(), x.amountAdded(), x.amountRemoved())));
        List<Change> decisions = r.decisionChanges().stream().map(d -> new Change(d.from(), d.to(),
                DECISIONS.getOrDefault(d.from(), d.from()) + " → " + DECISIONS.getOrDefault(d.to(), d.to()), d.audits())).toList();
        List<Sample> samples = r.samples().stream().map(x -> new Sample(x.auditId(), x.added(), x.removed())).toList();
        String seconds = BigDecimal.valueOf(r.replayMillis()).divide(BigDecimal.valueOf(1000), 1, RoundingMode.HALF_UP).toPlainString();
        return new Outcome(r.audits(), r.changedAudits(), r.unreadable(), added, removed, money(amountAdded), money(amountRemoved),
                signed(amountAdded.subtract(amountRemoved)), decisions, rules, departments.subList(0, Math.min(SHOWN, departments.size())),
                doctors.subList(0, Math.min(SHOWN, doctors.size())), departments.size(), doctors.size(), samples,
                rules.isEmpty() ? null : chart(rules), departments.isEmpty() ? null : chart(departments), seconds);
    }

    private static ImpactRow row(String key, String name, long added, long removed, BigDecimal amountAdded, BigDecimal amountRemoved) {
        return new ImpactRow(key == null ? "（未填）" : key, name, added, removed, money(nz(amountAdded)), money(nz(amountRemoved)),
                signed(nz(amountAdded).subtract(nz(amountRemoved))));
    }

    /** Added and removed findings side by side, most changed first, read top-down (ECharts draws the first category lowest). */
    private static String chart(List<ImpactRow> rows) {
        List<String> names = new ArrayList<>();
        List<Long> added = new ArrayList<>(), removed = new ArrayList<>();
        for (int i = Math.min(BARS, rows.size()) - 1; i >= 0; i--) {
            ImpactRow r = rows.get(i);
            names.add(r.name() == null ? r.key() : r.key() + " " + r.name());
            added.add(r.added());
            removed.add(r.removed());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tooltip", Map.of("trigger", "axis", "axisPointer", Map.of("type", "shadow")));
        o.put("legend", Map.of("top", 0));
        o.put("color", List.of("#d04545", "#3a9d5d"));
        o.put("grid", Map.of("left", 10, "right", 30, "top", 25, "bottom", 10, "containLabel", true));
        o.put("xAxis", Map.of("type", "value", "minInterval", 1));
        o.put("yAxis", Map.of("type", "category", "data", names, "axisLabel", Map.of("width", 220, "overflow", "truncate")));
        o.put("series", List.of(Map.of("name", "新增问题", "type", "bar", "data", added),
                Map.of("name", "减少问题", "type", "bar", "data", removed)));
        return OverviewResource.json(o);
    }

    // ---- labels --------------------------------------------------------------------------------

    static String candidateLabel(SimulationView s) {
        return "draft".equals(s.candidate()) ? "草稿" : "v" + s.candidateVersion();
    }

    static String baselineLabel(SimulationView s) {
        return "active".equals(s.baseline()) ? "生效版本 v" + s.baselineVersion() : "v" + s.baselineVersion();
    }

    static String scope(SimulationView s) {
        String stage = s.stage() == null ? "全部环节" : RulesResource.STAGES.getOrDefault(s.stage(), s.stage());
        String scenario = s.scenario() == null ? "全部场景" : SCENARIOS.getOrDefault(s.scenario(), s.scenario());
        return stage + "，" + scenario;
    }

    private String time(OffsetDateTime t) {
        return t == null ? "" : t.atZoneSameInstant(zone).toLocalDateTime().withNano(0).toString().replace('T', ' ');
    }

    static String money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    static String signed(BigDecimal v) {
        return (v.signum() > 0 ? "+" : "") + money(v);
    }

    private static String refusal(ApiException e) {
        return e.status() == 429 ? "已有多个试运行在排队，请等其中一个完成后再试。" : "无法开始试运行：" + e.getMessage();
    }

    private static JsonNode node(String value, String fallback) {
        String v = trim(value);
        if (v == null || v.isEmpty()) {
            return TextNode.valueOf(fallback);
        }
        return v.matches("[1-9][0-9]{0,8}") ? IntNode.valueOf(Integer.parseInt(v)) : TextNode.valueOf(v);
    }

    private static int parse(String s) {
        try {
            return s == null || s.isBlank() ? 1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
