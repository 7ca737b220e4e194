package com.preaudit.console;

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

/**
 * 版本: what publishing the draft would change (draft against the active version, side by side),
 * publishing with a note, the published versions with activation (rollback or roll forward), the diff
 * of any two versions, and the change log. Publishing and activation go through {@link CatalogService},
 * exactly as the API's do.
 */
@Path("/console/versions")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ANALYST, Roles.ADMIN})
public class VersionsResource {

    public record VersionItem(int version, String note, String author, String createdAt, Integer basedOn, boolean active,
                              int ruleCount, int rowCount) { }

    public record LogItem(String at, String subject, String action, String target, String note) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance versions(Integer active, DiffView draftDiff, Paging<VersionItem> paging, List<LogItem> changes,
                                                String message, String error);

        static native TemplateInstance versionDiff(DiffView diff, int from, int to);
    }

    private final CatalogService catalog;
    private final CatalogStore store;
    private final ChangeLog changeLog;
    private final ConsoleUser user;

    public VersionsResource(CatalogService catalog, CatalogStore store, ChangeLog changeLog, ConsoleUser user) {
        this.catalog = catalog;
        this.store = store;
        this.changeLog = changeLog;
        this.user = user;
    }

    @GET
    public TemplateInstance page(@QueryParam("page") String page, @QueryParam("published") String published,
                                 @QueryParam("activated") String activated) {
        String message = published != null ? "已发布版本 " + published + " 并生效。"
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
            return Response.seeOther(URI.create("/console/versions?published=" + r.version())).build();
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
        user.checkCsrf(csrf);
        int version;
        try {
            version = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new ConsoleException(404, "没有版本 " + n);
        }
        try {
            catalog.activate(version);
        } catch (ApiException e) {
            return refused(e.status(), "无法启用版本 " + version + "：" + e.getMessage());
        }
        return Response.seeOther(URI.create("/console/versions?activated=" + version)).build();
    }

    @GET
    @Path("/diff")
    public TemplateInstance diff(@QueryParam("from") String fromParam, @QueryParam("to") String toParam) {
        int from = number(fromParam);
        int to = number(toParam);
        DiffView diff = DiffView.of("版本 " + from, content(from), "版本 " + to, content(to));
        return Templates.versionDiff(diff, from, to);
    }

    private Response refused(int status, String error) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(render(null, null, error).render()).build();
    }

    private TemplateInstance render(String page, String message, String error) {
        Integer active = catalog.activeVersion();
        CatalogContent draft = content(CatalogStore.DRAFT);
        CatalogContent base = active == null ? new CatalogContent(draft.meta(), java.util.Map.of(), java.util.Map.of()) : content(active);
        DiffView draftDiff = DiffView.of(active == null ? "（无生效版本）" : "生效版本 " + active, base, "草稿", draft);
        List<VersionItem> versions = QuarkusTransaction.joiningExisting().call(store::versions).stream()
                .sorted((a, b) -> Integer.compare(b.version(), a.version()))
                .map(v -> new VersionItem(v.version(), v.note(), v.author(), v.createdAt() == null ? "" : v.createdAt().toLocalDateTime().withNano(0).toString().replace('T', ' '),
                        v.basedOn(), active != null && active == v.version(), v.ruleCount(), v.rowCount()))
                .toList();
        List<LogItem> changes = List.of();
        if (user.canChanges()) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            changes = changeLog.list(now.minusDays(90), now.plusMinutes(1), null, 50).stream().map(VersionsResource::log).toList();
        }
        return Templates.versions(active, draftDiff, Paging.of(versions, page, ""), changes, message, error);
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
