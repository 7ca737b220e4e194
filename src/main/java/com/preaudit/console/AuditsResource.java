package com.preaudit.console;

import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditService;
import com.preaudit.audit.AuditStore;
import com.preaudit.catalog.CatalogJson;
import com.preaudit.platform.Roles;
import com.preaudit.platform.StorageException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * 审核记录: find audits by auditId, requestId or patient id (newest first, paged, within a date range so
 * the month partitions bound the scan), and one audit with its request, findings and dispositions.
 */
@Path("/console/audits")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.ANALYST, Roles.ADMIN})
public class AuditsResource {

    public record Hit(String auditId, String createdAt, String requestId, String stage, String decision, String patientId,
                      String departmentCode, String doctorId, int catalogVersion) { }

    public record FindingItem(AuditRequestFinding finding, List<AuditStore.DispositionView> dispositions) { }

    /** A finding of the stored answer. */
    public record AuditRequestFinding(String id, String ruleCode, String ruleName, String action, String lineIds, String itemCodes,
                                      String message, String amountAtRisk) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance audits(String q, String by, String from, String to, Paging<Hit> paging, boolean searched, String error);

        static native TemplateInstance audit(AuditStore.StoredAudit audit, AuditRequest request, String decision, List<FindingItem> findings,
                                             String requestJson, String createdAt);
    }

    static final int MAX_HITS = 600;

    private final AuditService audits;

    public AuditsResource(AuditService audits) {
        this.audits = audits;
    }

    @GET
    public jakarta.ws.rs.core.Response search(@QueryParam("q") String q, @QueryParam("by") String by, @QueryParam("from") String from,
                         @QueryParam("to") String to, @QueryParam("page") String page) {
        String kind = by == null || by.isBlank() ? "auto" : by;
        LocalDate toDay = day(to, LocalDate.now());
        LocalDate fromDay = day(from, toDay.minusDays(29));
        if (q == null || q.isBlank()) {
            return ConsolePages.page(200, Templates.audits("", kind, fromDay.toString(), toDay.toString(), Paging.of(List.<Hit>of(), "1", ""), false, null));
        }
        String needle = q.trim();
        if (("auto".equals(kind) || "auditId".equals(kind)) && isUuid(needle) && audits.find(needle).isPresent()) {
            return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create("/console/audits/" + needle)).build();
        }
        List<Hit> hits;
        String error = null;
        if ("auditId".equals(kind)) {
            hits = List.of();
            error = "没有审核记录 " + needle;
        } else {
            hits = find(needle, kind, fromDay, toDay);
        }
        String query = RulesResource.query("q", needle, "by", kind, "from", fromDay.toString(), "to", toDay.toString());
        return ConsolePages.page(200, Templates.audits(needle, kind, fromDay.toString(), toDay.toString(), Paging.of(hits, page, query), true, error));
    }

    @GET
    @Path("/{auditId}")
    public TemplateInstance show(@PathParam("auditId") String auditId) {
        AuditStore.StoredAudit a = audits.find(auditId).orElseThrow(() -> new ConsoleException(404, "没有审核记录 " + auditId));
        Map<String, List<AuditStore.DispositionView>> byFinding = a.dispositions().stream()
                .collect(Collectors.groupingBy(AuditStore.DispositionView::findingId));
        List<FindingItem> findings = new ArrayList<>();
        if (a.response() != null && a.response().findings() != null) {
            a.response().findings().forEach(f -> findings.add(new FindingItem(new AuditRequestFinding(f.id(), f.ruleCode(), f.ruleName(),
                    f.action() == null ? "" : f.action().name(), String.join(", ", f.lineIds() == null ? List.of() : f.lineIds()),
                    String.join(", ", f.itemCodes() == null ? List.of() : f.itemCodes()), f.message(),
                    f.amountAtRisk() == null ? "" : f.amountAtRisk().toPlainString()), byFinding.getOrDefault(f.id(), List.of()))));
        }
        String json;
        try {
            json = CatalogJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a.request());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            json = "";
        }
        return Templates.audit(a, a.request(), a.response() == null || a.response().decision() == null ? "" : a.response().decision().name(),
                findings, json, a.createdAt() == null ? "" : a.createdAt().toLocalDateTime().toString().replace('T', ' '));
    }

    private List<Hit> find(String needle, String kind, LocalDate from, LocalDate to) {
        AuditStore.SearchBy by = "patient".equals(kind) ? AuditStore.SearchBy.PATIENT
                : "request_id".equals(kind) || "requestId".equals(kind) ? AuditStore.SearchBy.REQUEST_ID : AuditStore.SearchBy.EITHER;
        ZoneId zone = ZoneId.systemDefault();
        try {
            return audits.search(needle, by, from.atStartOfDay(zone).toOffsetDateTime(), to.plusDays(1).atStartOfDay(zone).toOffsetDateTime(),
                    MAX_HITS).stream().map(a -> new Hit(a.auditId(), a.createdAt().atZoneSameInstant(zone).toLocalDateTime().toString().replace('T', ' '),
                    a.requestId(), a.stage(), a.decision(), a.patientId(), a.departmentCode(), a.doctorId(), a.catalogVersion())).toList();
        } catch (StorageException e) {
            throw new ConsoleException(503, "审核记录库暂时无法访问，请稍后再试。");
        }
    }

    static LocalDate day(String s, LocalDate fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new ConsoleException(400, "日期格式应为 yyyy-MM-dd：" + s);
        }
    }

    static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
