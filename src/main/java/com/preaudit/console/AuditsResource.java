package com.preaudit.console;

import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditService;
import com.preaudit.audit.AuditStore;
import com.preaudit.catalog.CatalogJson;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.Roles;
import io.agroal.api.AgroalDataSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
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
    private final AgroalDataSource ds;

    public AuditsResource(AuditService audits, AgroalDataSource ds) {
        this.audits = audits;
        this.ds = ds;
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
        String column = "patient".equals(kind) ? "patient_id" : "request_id".equals(kind) || "requestId".equals(kind) ? "request_id" : null;
        // auto: a requestId or a patient id, whichever matches
        String where = column == null ? "(request_id = ? OR patient_id = ?)" : column + " = ?";
        String sql = "SELECT audit_id, created_at, request_id, stage, decision, patient_id, department_code, doctor_id, catalog_version "
                + "FROM audit_record WHERE " + where + " AND created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT " + MAX_HITS;
        ZoneId zone = ZoneId.systemDefault();
        List<Hit> hits = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, needle);
            if (column == null) {
                ps.setString(i++, needle);
            }
            ps.setObject(i++, from.atStartOfDay(zone).toOffsetDateTime());
            ps.setObject(i, to.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new Hit(rs.getString(1), rs.getObject(2, OffsetDateTime.class).atZoneSameInstant(zone).toLocalDateTime().toString().replace('T', ' '),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)));
                }
            }
        } catch (SQLException e) {
            throw new ConsoleException(503, "审核记录库暂时无法访问，请稍后再试。");
        }
        return hits;
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
