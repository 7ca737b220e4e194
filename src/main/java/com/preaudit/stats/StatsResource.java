package com.preaudit.stats;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.model.Tier;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Statistics for the insurance office's PDCA review (PRODUCT.md §3.4). */
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Statistics", description = "事后分析: rankings of findings, override rates, amounts at risk, daily totals")
public class StatsResource {

    static final int MAX_DAYS = 3660;

    private final StatsStore store;
    private final ZoneId zone;

    public StatsResource(StatsStore store, StatsConfig config) {
        this.store = store;
        this.zone = config.zoneId();
    }

    @RolesAllowed(Roles.ANALYST)
    @GET
    @Path("/findings")
    @Operation(summary = "Rank findings by department, doctor, rule or item",
            description = "Findings of audits made between from and to (inclusive, local days), grouped and sorted descending "
                    + "(by findings unless sort says otherwise); tier and category keep the findings of rules of that tier / category "
                    + "(as the catalog files the rule). Dispositions count by their latest value per finding; "
                    + "overrideRate = overridden / findings. Grouped by item, a finding counts for each of its item codes. "
                    + "amountAtRisk counts each flagged line once per row, whatever number of rules flag it; notices (INFO) and "
                    + "exempted findings put nothing at risk. SHADOW rules' findings are counted apart in shadowFindings "
                    + "(shadow=only ranks only them).")
    @APIResponse(responseCode = "200", description = "the ranking", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "by rule", value = """
                    [{"key": "GZ10000102012000", "name": "医疗服务项目重复收费", "audits": 412, "findings": 436, "blocked": 436,
                      "overridden": 12, "selfPay": 30, "modified": 380, "overrideRate": 0.0275, "amountAtRisk": 18422.50,
                      "exempted": 0, "shadowFindings": 0},
                     {"key": "GZ10000101008000", "name": "药品限适应症", "audits": 390, "findings": 401, "blocked": 0,
                      "overridden": 233, "selfPay": 41, "modified": 97, "overrideRate": 0.5810, "amountAtRisk": 96410.00,
                      "exempted": 6, "shadowFindings": 0}]""")))
    @APIResponse(responseCode = "400", description = "an invalid parameter (named in errors)", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE,
            examples = {@ExampleObject(name = "bad groupBy", value = """
                    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "invalid query parameters",
                     "errors": [{"field": "groupBy", "message": "must be one of department, doctor, rule, item"}]}"""),
                    @ExampleObject(name = "bad tier", value = """
                    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "invalid query parameters",
                     "errors": [{"field": "tier", "message": "must be one of [POLICY (政策类), MANAGEMENT (管理类), MEDICAL (医疗类)]"}]}""")}))
    public List<FindingStats.Row> findings(
            @Parameter(description = "first day, yyyy-MM-dd (default: 29 days before to)") @QueryParam("from") String from,
            @Parameter(description = "last day, yyyy-MM-dd, inclusive (default: today)") @QueryParam("to") String to,
            @Parameter(description = "department, doctor, rule or item (default rule)") @QueryParam("groupBy") String groupBy,
            @Parameter(description = "PRE_ORDER, PRE_CHARGE or PRE_SETTLEMENT (default: all)") @QueryParam("stage") String stage,
            @Parameter(description = "findings (default), audits, blocked, overridden, overrideRate or amountAtRisk") @QueryParam("sort") String sort,
            @Parameter(description = "rows, 1–1000 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "only findings of rules of this tier: POLICY (政策类), MANAGEMENT (管理类) or MEDICAL (医疗类); "
                    + "the Chinese names are accepted too (default: all)") @QueryParam("tier") String tier,
            @Parameter(description = "only findings of rules of this category (二级分类, e.g. 药品合理使用类), as the catalog "
                    + "names it (default: all)") @QueryParam("category") String category,
            @Parameter(description = "exclude (default: findings of live rules; shadowFindings counts the SHADOW rules' apart), "
                    + "only (rank only the findings of SHADOW rules) or include (both)") @QueryParam("shadow") String shadow) {
        LocalDate[] range = range(from, to);
        StatsStore.GroupBy group = option("groupBy", groupBy, StatsStore.GroupBy.RULE, StatsStore.GroupBy.values());
        StatsStore.SortBy sortBy = option("sort", sort, StatsStore.SortBy.FINDINGS, StatsStore.SortBy.values());
        int rows = integer("limit", limit, 20, 1, 1000);
        StatsStore.Shadow which = option("shadow", shadow, StatsStore.Shadow.EXCLUDE, StatsStore.Shadow.values());
        String tierName = tier(tier);
        String categoryName = category(category);
        return store.findings(range[0], range[1], zone, group, stage(stage), sortBy, which, rows, tierName, categoryName);
    }

    /** The rule tier as stored (POLICY, MANAGEMENT, MEDICAL), from its English (any case) or Chinese name; null = all. */
    static String tier(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        for (Tier t : Tier.values()) {
            if (t.name().equalsIgnoreCase(v) || tierLabel(t).equals(v)) {
                return t.name();
            }
        }
        throw bad("tier", "must be one of " + Arrays.stream(Tier.values()).map(t -> t.name() + " (" + tierLabel(t) + ")").toList());
    }

    static String tierLabel(Tier t) {
        return switch (t) {
            case POLICY -> "政策类";
            case MANAGEMENT -> "管理类";
            case MEDICAL -> "医疗类";
        };
    }

    /** A category the catalog knows (any published version); an unknown one is refused with the known ones listed. */
    private String category(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        List<String> known = store.categories();
        if (!known.contains(v)) {
            throw bad("category", "must be one of the catalog's categories " + known);
        }
        return v;
    }

    @RolesAllowed(Roles.ANALYST)
    @GET
    @Path("/daily")
    @Operation(summary = "Daily totals", description = "Per local day of the range (every day, zeros included): audits and their decisions, "
            + "findings, overridden findings and the amount at risk.")
    @APIResponse(responseCode = "200", description = "one row per day", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "two days", value = """
                    [{"date": "2025-06-01", "audits": 5210, "findings": 388, "blocked": 120, "warned": 201, "passed": 4889,
                      "overridden": 64, "amountAtRisk": 40211.30},
                     {"date": "2025-06-02", "audits": 6002, "findings": 412, "blocked": 131, "warned": 220, "passed": 5651,
                      "overridden": 70, "amountAtRisk": 43550.00}]""")))
    @APIResponse(responseCode = "400", description = "an invalid parameter (named in errors)", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public List<FindingStats.Day> daily(@Parameter(description = "first day, yyyy-MM-dd (default: 29 days before to)") @QueryParam("from") String from,
                                        @Parameter(description = "last day, yyyy-MM-dd, inclusive (default: today)") @QueryParam("to") String to,
                                        @Parameter(description = "PRE_ORDER, PRE_CHARGE or PRE_SETTLEMENT (default: all)") @QueryParam("stage") String stage) {
        LocalDate[] range = range(from, to);
        return store.daily(range[0], range[1], zone, stage(stage));
    }

    private LocalDate[] range(String from, String to) {
        LocalDate toDate = date("to", to, LocalDate.now(zone));
        LocalDate fromDate = date("from", from, toDate.minusDays(29));
        if (fromDate.isAfter(toDate)) {
            throw bad("from", "must not be after to (" + toDate + ")");
        }
        if (ChronoUnit.DAYS.between(fromDate, toDate) >= MAX_DAYS) {
            throw bad("from", "the range is limited to " + MAX_DAYS + " days");
        }
        return new LocalDate[] {fromDate, toDate};
    }

    private static LocalDate date(String name, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw bad(name, "must be a date yyyy-MM-dd, got '" + value + "'");
        }
    }

    private static String stage(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Stage.valueOf(value.trim()).name();
        } catch (IllegalArgumentException e) {
            throw bad("stage", "must be one of " + Arrays.toString(Stage.values()));
        }
    }

    /** Accepts the camelCase spelling of an enum constant (overrideRate → OVERRIDE_RATE), case-insensitively. */
    private static <E extends Enum<E>> E option(String name, String value, E fallback, E[] values) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String wanted = value.trim().replace("_", "").toLowerCase(Locale.ROOT);
        for (E e : values) {
            if (e.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return e;
            }
        }
        throw bad(name, "must be one of " + Arrays.stream(values).map(StatsResource::camel).toList());
    }

    private static String camel(Enum<?> e) {
        String[] parts = e.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    private static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(name, "must be a whole number " + min + "–" + max);
    }

    private static ApiException bad(String field, String message) {
        return ApiException.badRequest("invalid query parameters", List.of(new FieldError(field, message)));
    }
}
