package com.preaudit.console;

import com.preaudit.audit.Exemption;
import com.preaudit.audit.ExemptionResource;
import com.preaudit.audit.ExemptionService;
import com.preaudit.catalog.CatalogService;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.Roles;
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

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 特批: exemptions (PRODUCT.md §11) listed by state (valid today, not yet valid, expired, revoked) and patient, paged;
 * for rule-publishers a form to grant one and a button to revoke. Grants and revokes go through
 * {@link ExemptionService}, as the API's do, so they count in the next audit on every node and are in the change log.
 */
@Path("/console/exemptions")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.ANALYST, Roles.RULE_PUBLISHER, Roles.ADMIN})
public class ExemptionsResource {

    static final Map<String, String> STATES = new LinkedHashMap<>();
    static final Map<String, String> FIELDS = Map.of("/patientId", "患者编号", "/ruleCode", "规则", "/itemCode", "医保项目编码",
            "/validFrom", "开始日期", "/validTo", "结束日期", "/reason", "审批意见", "/approvalNo", "批准文号", "/", "特批");

    static {
        STATES.put("ACTIVE", "有效");
        STATES.put("FUTURE", "未生效");
        STATES.put("EXPIRED", "已过期");
        STATES.put("REVOKED", "已撤销");
        STATES.put("ALL", "全部");
    }

    public record Item(String id, String patientId, String ruleCode, String ruleName, String itemCode, String validFrom, String validTo,
                       String reason, String approvalNo, String grantedBy, String grantedAt, String revokedBy, String revokedAt,
                       String state, String stateLabel) {
        public boolean revocable() {
            return revokedAt == null;
        }
    }

    /** The grant form: what was typed (kept when refused). */
    public record Grant(String patientId, String ruleCode, String itemCode, String validFrom, String validTo, String reason,
                        String approvalNo) { }

    public record RuleChoice(String code, String name) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance exemptions(String state, List<RulesResource.Option> states, String patientId, Paging<Item> paging,
                                                  Grant grant, List<RuleChoice> rules, List<String> errors, String message);
    }

    private final ExemptionService exemptions;
    private final CatalogService catalog;
    private final ConsoleUser user;
    private final ZoneId zone = ZoneId.systemDefault();

    public ExemptionsResource(ExemptionService exemptions, CatalogService catalog, ConsoleUser user) {
        this.exemptions = exemptions;
        this.catalog = catalog;
        this.user = user;
    }

    @GET
    public TemplateInstance list(@QueryParam("state") String state, @QueryParam("patientId") String patientId, @QueryParam("page") String page,
                                 @QueryParam("granted") String granted, @QueryParam("revoked") String revoked) {
        String message = granted != null ? "已特批（编号 " + granted + "）。该患者下一次审核起，此规则的问题只作提示，不再拦截。"
                : revoked != null ? "已撤销特批（编号 " + revoked + "）。该患者下一次审核起，此规则的问题重新拦截。" : null;
        return render(state, patientId, page, emptyGrant(), List.of(), message);
    }

    @POST
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response grant(@RestForm("_csrf") String csrf, @RestForm String patientId, @RestForm String ruleCode, @RestForm String itemCode,
                          @RestForm String validFrom, @RestForm String validTo, @RestForm String reason, @RestForm String approvalNo) {
        user.checkCsrf(csrf);
        Grant typed = new Grant(nz(patientId), nz(ruleCode), nz(itemCode), nz(validFrom), nz(validTo), nz(reason), nz(approvalNo));
        try {
            Exemption e = exemptions.grant(new ExemptionResource.ExemptionRequest(patientId, code(ruleCode), itemCode, validFrom, validTo,
                    reason, approvalNo));
            return Response.seeOther(URI.create("/console/exemptions?granted=" + e.id)).build();
        } catch (ApiException e) {
            return ConsolePages.page(e.status(), render(null, null, null, typed, FieldMessages.of(e, FIELDS, e.getMessage()), null));
        }
    }

    @POST
    @Path("/{id}/revoke")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response revoke(@PathParam("id") String id, @RestForm("_csrf") String csrf) {
        user.checkCsrf(csrf);
        try {
            exemptions.revoke(id);
        } catch (ApiException e) {
            throw new ConsoleException(e.status(), "没有特批 " + id);
        }
        return Response.seeOther(URI.create("/console/exemptions?state=REVOKED&revoked=" + id)).build();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private TemplateInstance render(String stateParam, String patientId, String pageParam, Grant grant, List<String> errors, String message) {
        ExemptionService.State state = state(stateParam);
        String patient = patientId == null ? "" : patientId.trim();
        LocalDate today = LocalDate.now(zone);
        long total = exemptions.list(patient, state, today, 0, 0).total();
        int pages = (int) Math.max(1, (total + Paging.SIZE - 1) / Paging.SIZE);
        int page = Math.min(Math.max(parse(pageParam), 1), pages);
        Map<String, String> names = ruleNames();
        List<Item> items = exemptions.list(patient, state, today, (page - 1) * Paging.SIZE, Paging.SIZE).rows().stream()
                .map(e -> item(e, today, names)).toList();
        List<RulesResource.Option> states = new ArrayList<>();
        STATES.forEach((k, label) -> states.add(new RulesResource.Option(k, label, k.equals(state.name()))));
        Paging<Item> paging = new Paging<>(items, page, pages, total, RulesResource.query("state", state.name(), "patientId", patient));
        List<RuleChoice> rules = user.canGrant() ? names.entrySet().stream().map(x -> new RuleChoice(x.getKey(), x.getValue())).toList() : List.of();
        return Templates.exemptions(state.name(), states, patient, paging, grant, rules, errors, message);
    }

    private Item item(Exemption e, LocalDate today, Map<String, String> names) {
        String state = e.revokedAt != null ? "REVOKED" : today.isBefore(e.validFrom) ? "FUTURE" : today.isAfter(e.validTo) ? "EXPIRED" : "ACTIVE";
        return new Item(e.id.toString(), e.patientId, e.ruleCode, names.getOrDefault(e.ruleCode, ""), e.itemCode, e.validFrom.toString(),
                e.validTo.toString(), e.reason, e.approvalNo, e.grantedBy, time(e.grantedAt), e.revokedBy, e.revokedAt == null ? null : time(e.revokedAt),
                state, STATES.get(state));
    }

    /** The active version's rules (code → name): the names in the list and the choices of the grant form. */
    private Map<String, String> ruleNames() {
        Integer active = catalog.activeVersion();
        Map<String, String> names = new LinkedHashMap<>();
        if (active != null) {
            for (RuleDefinition r : catalog.rules(active, null, null)) {
                names.put(r.code(), r.name() == null ? "" : r.name());
            }
        }
        return names;
    }

    private Grant emptyGrant() {
        LocalDate today = LocalDate.now(zone);
        return new Grant("", "", "", today.toString(), today.plusMonths(3).minusDays(1).toString(), "", "");
    }

    /** The form's rule field may hold "code name" as the browser's list offers it: the code is the first word. */
    static String code(String ruleCode) {
        if (ruleCode == null) {
            return null;
        }
        String t = ruleCode.trim();
        int space = t.indexOf(' ');
        return space < 0 ? t : t.substring(0, space);
    }

    private static ExemptionService.State state(String s) {
        if (s == null || s.isBlank()) {
            return ExemptionService.State.ACTIVE;
        }
        try {
            return ExemptionService.State.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(400, "未知的状态 " + s + "，可选：" + String.join("、", STATES.keySet()));
        }
    }

    private String time(OffsetDateTime t) {
        return t.atZoneSameInstant(zone).toLocalDateTime().withNano(0).toString().replace('T', ' ');
    }

    private static int parse(String s) {
        try {
            return s == null || s.isBlank() ? 1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
