package com.preaudit.console;

import com.preaudit.catalog.CatalogApproval;
import com.preaudit.catalog.CatalogConfig;
import com.preaudit.catalog.CatalogContent;
import com.preaudit.catalog.CatalogService;
import com.preaudit.catalog.CatalogStore;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.ChangeLogEntry;
import com.preaudit.platform.Roles;
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

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * 版本: what publishing the draft would change (draft against the active version, side by side),
 * publishing with a note, the published versions with who published and approved them, approving or
 * rejecting a pending one (four-eyes publishing: never by its own publisher), activation (rollback or roll
 * forward), the diff of any two versions, and the change log. Publishing, approval and activation go
 * through {@link CatalogService}, exactly as the API's do.
 */
@Path("/console/versions")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ANALYST, Roles.ADMIN})
public class VersionsResource {

    public record VersionItem(int version, String note, String author, String createdAt, Integer basedOn, boolean active,
                              int ruleCount, int rowCount, String status, String statusLabel, String publishedBy, String decidedBy,
                              String decisionNote, boolean own) {
        public boolean pending() {
            return CatalogApproval.PENDING.equals(status);
        }

        public boolean approved() {
            return CatalogApproval.APPROVED.equals(status);
        }
    }

    static final Map<String, String> STATUS = Map.of(CatalogApproval.PENDING, "待审批", CatalogApproval.APPROVED, "已批准",
            CatalogApproval.REJECTED, "已驳回");

    public record LogItem(String at, String subject, String action, String target, String note) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance versions(Integer active, DiffView draftDiff, Paging<VersionItem> paging, List<LogItem> changes,
                                                String message, String error, boolean approvalRequired);

        static native TemplateInstance versionDiff(DiffView diff, int from, int to);
    }

    private final CatalogService catalog;
    private final CatalogStore store;
    private final ChangeLog changeLog;
    private final ConsoleUser user;
    private final boolean approvalRequired;

    public VersionsResource(CatalogService catalog, CatalogStore store, ChangeLog changeLog, ConsoleUser user, CatalogConfig config) {
        this.catalog = catalog;
        this.store = store;
        this.changeLog = changeLog;
        this.user = user;
        this.approvalRequired = config.approval() == CatalogConfig.Approval.required;
    }

    @GET
    public TemplateInstance page(@QueryParam("page") String page, @QueryParam("published") String published,
                                 @QueryParam("activated") String activated, @QueryParam("pending") String pending,
                                 @QueryParam("approved") String approved, @QueryParam("rejected") String rejected) {
        String message = published != null ? "已发布版本 " + published + " 并生效。"
                : pending != null ? "已发布版本 " + pending + "，等待另一位发布人审批；审批通过前仍使用当前生效版本。"
                : approved != null ? "版本 " + approved + " 已审批通过并生效。"
                : rejected != null ? "版本 " + rejected + " 已驳回，不会生效。"
                : activated != null ? "版本 " + activated + " 已生效。" : null;
        return render(page, message, null);
    }

    @POST
    @Path("/publish")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response publish(@RestForm("_csrf") String csrf, @RestForm String note, @RestForm String basedOn) {
        user.checkCsrf(csrf);
        if (note == null || note.isBlank()) {
            return refused(422, "请填写发布说明：写明这次改了什么、为什么改。");
        }
        Integer based;
        try {
            based = basedOn == null || basedOn.isBlank() ? null : Integer.valueOf(basedOn.trim());
        } catch (NumberFormatException e) {
            return refused(400, "basedOn 不是版本号");
        }
        try {
            CatalogService.PublishResult r = catalog.publish(note.trim(), based == null ? 0 : based, user.subject());
            String outcome = CatalogApproval.PENDING.equals(r.status()) ? "pending" : "published";
            return Response.seeOther(URI.create("/console/versions?" + outcome + "=" + r.version())).build();
        } catch (ApiException e) {
            String reason = e.status() == 409 ? "发布前生效版本已被他人更新，请查看最新差异后再发布。"
                    : "发布失败，草稿未发布：" + e.getMessage();
            StringBuilder sb = new StringBuilder(reason);
            e.errors().forEach(f -> sb.append("\n").append(f.field()).append("：").append(f.message()));
            return refused(e.status(), sb.toString());
        }
    }

    @POST
    @Path("/{n}/activate")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response activate(@PathParam("n") String n, @RestForm("_csrf") String csrf) {
        int version = posted(n, csrf);
        return decide(version, "activated", () -> catalog.activate(version),
                e -> "无法启用版本 " + version + "：" + (e.status() == 409 ? "它" + decidedState(version) + "，不能启用。" : e.getMessage()));
    }

    @POST
    @Path("/{n}/approve")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response approve(@PathParam("n") String n, @RestForm("_csrf") String csrf, @RestForm String note) {
        int version = posted(n, csrf);
        return decide(version, "approved", () -> catalog.approve(version, note == null || note.isBlank() ? null : note.trim()),
                e -> e.status() == 403 ? "版本 " + version + " 是您本人发布的，须由另一位发布人审批。"
                        : "无法审批版本 " + version + "：" + (e.status() == 409 ? decided(version, e) : e.getMessage()));
    }

    @POST
    @Path("/{n}/reject")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response reject(@PathParam("n") String n, @RestForm("_csrf") String csrf, @RestForm String note) {
        int version = posted(n, csrf);
        if (note == null || note.isBlank()) {
            return refused(422, "请填写驳回理由：发布人需要知道为什么不能生效。");
        }
        return decide(version, "rejected", () -> catalog.reject(version, note.trim()),
                e -> "无法驳回版本 " + version + "：" + (e.status() == 409 ? decided(version, e) : e.getMessage()));
    }

    /**
     * Activates, approves or rejects {@code version}: back to the list saying {@code outcome} when done, the list again
     * with the reason {@code refusal} gives when the catalog refuses (nothing changed).
     */
    private Response decide(int version, String outcome, Runnable decision, java.util.function.Function<ApiException, String> refusal) {
        try {
            decision.run();
        } catch (ApiException e) {
            return refused(e.status(), refusal.apply(e));
        }
        return Response.seeOther(URI.create("/console/versions?" + outcome + "=" + version)).build();
    }

    /** Why a decision was refused with 409: already decided, or based on a version that is no longer active. */
    private String decided(int version, ApiException e) {
        return versionInfo(version).map(v -> CatalogApproval.PENDING.equals(v.status())
                        ? "它基于的版本已不是生效版本（期间有其他版本生效），请驳回后从当前生效版本重新发布。"
                        : "它已" + STATUS.getOrDefault(v.status(), v.status()) + (v.decidedBy() == null ? "" : "（" + v.decidedBy() + "）") + "。")
                .orElse(e.getMessage());
    }

    @GET
    @Path("/diff")
    public TemplateInstance diff(@QueryParam("from") String fromParam, @QueryParam("to") String toParam) {
        int from = number(fromParam);
        int to = number(toParam);
        DiffView diff = DiffView.of("版本 " + from, content(from), "版本 " + to, content(to));
        return Templates.versionDiff(diff, from, to);
    }

    private String decidedState(int version) {
        return versionInfo(version).map(v -> CatalogApproval.PENDING.equals(v.status()) ? "还在等待另一位发布人审批" : STATUS.getOrDefault(v.status(), v.status()))
                .orElse("不存在");
    }

    private java.util.Optional<CatalogStore.VersionRow> versionInfo(int version) {
        return QuarkusTransaction.joiningExisting().call(store::versions).stream().filter(v -> v.version() == version).findFirst();
    }

    /** The version a form posts to, its CSRF token checked first (a forged post learns nothing, not even whether n exists). */
    private int posted(String n, String csrf) {
        user.checkCsrf(csrf);
        return version(n);
    }

    private static int version(String n) {
        try {
            return Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new ConsoleException(404, "没有版本 " + n);
        }
    }

    private Response refused(int status, String error) {
        return ConsolePages.page(status, render(null, null, error));
    }

    private TemplateInstance render(String page, String message, String error) {
        Integer active = catalog.activeVersion();
        CatalogContent draft = content(CatalogStore.DRAFT);
        CatalogContent base = active == null ? new CatalogContent(draft.meta(), java.util.Map.of(), java.util.Map.of()) : content(active);
        DiffView draftDiff = DiffView.of(active == null ? "（无生效版本）" : "生效版本 " + active, base, "草稿", draft);
        List<VersionItem> versions = QuarkusTransaction.joiningExisting().call(store::versions).stream()
                .sorted((a, b) -> Integer.compare(b.version(), a.version()))
                .map(v -> new VersionItem(v.version(), v.note(), v.author(), v.createdAt() == null ? "" : v.createdAt().toLocalDateTime().withNano(0).toString().replace('T', ' '),
                        v.basedOn(), active != null && active == v.version(), v.ruleCount(), v.rowCount(), v.status(),
                        STATUS.getOrDefault(v.status(), v.status()), v.publishedBy(), v.decidedBy(), v.decisionNote(),
                        user.subject().equals(v.publishedBy())))
                .toList();
        List<LogItem> changes = List.of();
        if (user.canChanges()) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            changes = changeLog.list(now.minusDays(90), now.plusMinutes(1), null, 50).stream().map(VersionsResource::log).toList();
        }
        return Templates.versions(active, draftDiff, Paging.of(versions, page, ""), changes, message, error, approvalRequired);
    }

    private static LogItem log(ChangeLogEntry e) {
        return new LogItem(e.at.toLocalDateTime().withNano(0).toString().replace('T', ' '), e.subject, e.action, e.target, e.note);
    }

    private CatalogContent content(int version) {
        try {
            return version == CatalogStore.DRAFT ? QuarkusTransaction.joiningExisting().call(() -> store.load(CatalogStore.DRAFT))
                    : catalog.content(version);
        } catch (ApiException e) {
            throw new ConsoleException(404, "没有版本 " + version);
        }
    }

    private static int number(String s) {
        try {
            int n = Integer.parseInt(s == null ? "" : s.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConsoleException(400, "请给出两个版本号，如 ?from=1&to=2");
    }
}
