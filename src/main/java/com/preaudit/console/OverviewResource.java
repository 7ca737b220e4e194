package com.preaudit.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.platform.Roles;
import com.preaudit.stats.FindingStats;
import com.preaudit.stats.StatsConfig;
import com.preaudit.stats.StatsStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 总览: audits, decision mix, block and override rates for today / 7 / 30 days, the top rules,
 * departments and doctors, and the daily trend, all from the statistics store (the same queries as
 * /api/v1/stats). One 30-day daily query gives all three periods' totals; three ranking queries give
 * the tops of the chosen period.
 */
@Path("/console/overview")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.ANALYST, Roles.ADMIN})
public class OverviewResource {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int TOP = 10;

    /** Totals of one period. */
    public record Period(String label, long audits, long blocked, long warned, long passed, long findings, long overridden,
                         BigDecimal amountAtRisk) {
        public String blockRate() {
            return percent(blocked, audits);
        }

        public String overrideRate() {
            return percent(overridden, findings);
        }
    }

    public record Ranking(String title, String id, String chart, List<FindingStats.Row> rows) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance overview(List<Period> periods, int days, String trendChart, String mixChart,
                                                List<Ranking> rankings, LocalDate from, LocalDate to);
    }

    private final StatsStore stats;
    private final ZoneId zone;

    public OverviewResource(StatsStore stats, StatsConfig config) {
        this.stats = stats;
        this.zone = config.zoneId();
    }

    @GET
    public TemplateInstance page(@QueryParam("days") String daysParam) {
        int days = "1".equals(daysParam) ? 1 : "7".equals(daysParam) ? 7 : 30;
        LocalDate today = LocalDate.now(zone);
        LocalDate from30 = today.minusDays(29);
        List<FindingStats.Day> daily = stats.daily(from30, today, zone, null);
        List<Period> periods = List.of(total("今日", daily, 1), total("近 7 天", daily, 7), total("近 30 天", daily, 30));
        LocalDate from = today.minusDays(days - 1L);
        List<Ranking> rankings = List.of(
                ranking("规则", "top-rules", stats.findings(from, today, zone, StatsStore.GroupBy.RULE, null, StatsStore.SortBy.FINDINGS, StatsStore.Shadow.EXCLUDE, TOP, null, null)),
                ranking("科室", "top-departments", stats.findings(from, today, zone, StatsStore.GroupBy.DEPARTMENT, null, StatsStore.SortBy.FINDINGS, StatsStore.Shadow.EXCLUDE, TOP, null, null)),
                ranking("医生", "top-doctors", stats.findings(from, today, zone, StatsStore.GroupBy.DOCTOR, null, StatsStore.SortBy.FINDINGS, StatsStore.Shadow.EXCLUDE, TOP, null, null)));
        Period chosen = periods.get(days == 1 ? 0 : days == 7 ? 1 : 2);
        return Templates.overview(periods, days, json(trend(daily)), json(mix(chosen)), rankings, from, today);
    }

    private static Period total(String label, List<FindingStats.Day> daily, int days) {
        long audits = 0, blocked = 0, warned = 0, passed = 0, findings = 0, overridden = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (FindingStats.Day d : daily.subList(Math.max(0, daily.size() - days), daily.size())) {
            audits += d.audits();
            blocked += d.blocked();
            warned += d.warned();
            passed += d.passed();
            findings += d.findings();
            overridden += d.overridden();
            amount = amount.add(d.amountAtRisk());
        }
        return new Period(label, audits, blocked, warned, passed, findings, overridden, amount);
    }

    // ECharts options are built here, so the page script only hands them to echarts.setOption

    private static Map<String, Object> trend(List<FindingStats.Day> daily) {
        List<String> dates = new ArrayList<>();
        List<Long> audits = new ArrayList<>(), findings = new ArrayList<>(), blocked = new ArrayList<>(), overridden = new ArrayList<>();
        for (FindingStats.Day d : daily) {
            dates.add(d.date().toString().substring(5));
            audits.add(d.audits());
            findings.add(d.findings());
            blocked.add(d.blocked());
            overridden.add(d.overridden());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tooltip", Map.of("trigger", "axis"));
        o.put("legend", Map.of("top", 0));
        o.put("grid", Map.of("left", 50, "right", 20, "top", 30, "bottom", 30));
        o.put("xAxis", Map.of("type", "category", "data", dates));
        o.put("yAxis", Map.of("type", "value"));
        o.put("series", List.of(series("审核次数", "line", audits), series("问题数", "line", findings),
                series("拦截次数", "line", blocked), series("强制通过", "line", overridden)));
        return o;
    }

    private static Map<String, Object> mix(Period p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tooltip", Map.of("trigger", "item", "formatter", "{b}: {c} ({d}%)"));
        o.put("legend", Map.of("bottom", 0));
        o.put("color", List.of("#3a9d5d", "#e0a030", "#d04545"));
        o.put("series", List.of(Map.of("name", "审核结论", "type", "pie", "radius", List.of("40%", "65%"),
                "data", List.of(Map.of("name", "通过", "value", p.passed()), Map.of("name", "提醒", "value", p.warned()),
                        Map.of("name", "拦截", "value", p.blocked())))));
        return o;
    }

    private static Ranking ranking(String title, String id, List<FindingStats.Row> rows) {
        List<String> names = new ArrayList<>();
        List<Long> findings = new ArrayList<>(), overridden = new ArrayList<>();
        // bars read top-down: ECharts draws the first category at the bottom
        for (int i = rows.size() - 1; i >= 0; i--) {
            FindingStats.Row r = rows.get(i);
            String key = r.key() == null ? "（未填）" : r.key();
            names.add(r.name() == null ? key : key + " " + r.name());
            findings.add(r.findings());
            overridden.add(r.overridden());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tooltip", Map.of("trigger", "axis"));
        o.put("legend", Map.of("top", 0));
        o.put("grid", Map.of("left", 10, "right", 20, "top", 25, "bottom", 10, "containLabel", true));
        o.put("xAxis", Map.of("type", "value"));
        o.put("yAxis", Map.of("type", "category", "data", names, "axisLabel", Map.of("width", 150, "overflow", "truncate")));
        o.put("series", List.of(series("问题数", "bar", findings), series("强制通过", "bar", overridden)));
        return new Ranking(title, id, json(o), rows);
    }

    private static Map<String, Object> series(String name, String type, List<Long> data) {
        return Map.of("name", name, "type", type, "data", data);
    }

    static String json(Object o) {
        return com.preaudit.platform.Json.toJson(JSON, o);
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "—" : BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, java.math.RoundingMode.HALF_UP) + "%";
    }
}
