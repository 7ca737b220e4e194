package com.preaudit.console;

import com.preaudit.catalog.CatalogConfig;
import com.preaudit.catalog.CatalogService;
import com.preaudit.catalog.CatalogStore;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 知识库: the draft's knowledge sets with their row counts, rows searched by item code (exact codes and
 * the prefix patterns that cover it, as the engine matches), and for authors a CSV upload whose row
 * errors are shown beside the rows they are in; a refused upload replaces nothing.
 */
@Path("/console/knowledge")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ANALYST, Roles.ADMIN})
public class KnowledgeResource {

    static final Pattern ROW_FIELD = Pattern.compile("/rows/(\\d+)(?:/(.*))?");

    public record Match(String set, KnowledgeRow row) { }

    @io.quarkus.qute.TemplateData
    /** One line of a refused upload, with the errors found in its record. */
    public record UploadLine(int number, String text, List<String> errors) {
        public boolean bad() {
            return !errors.isEmpty();
        }
    }

    @io.quarkus.qute.TemplateData
    public record Upload(String name, String detail, List<String> general, List<UploadLine> lines, int errorCount) { }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance knowledge(List<CatalogStore.SetInfo> sets, String itemCode, List<Match> matches, Upload upload,
                                                 String saved);

        static native TemplateInstance knowledgeSet(CatalogStore.SetInfo set, List<String> columns, Paging<KnowledgeRow> paging,
                                                    String itemCode, Upload upload, String saved);
    }

    private final CatalogService catalog;
    private final CatalogStore store;
    private final CatalogConfig config;
    private final ConsoleUser user;

    public KnowledgeResource(CatalogService catalog, CatalogStore store, CatalogConfig config, ConsoleUser user) {
        this.catalog = catalog;
        this.store = store;
        this.config = config;
        this.user = user;
    }

    @GET
    public TemplateInstance list(@QueryParam("itemCode") String itemCode, @QueryParam("saved") String saved) {
        List<CatalogStore.SetInfo> sets = sets();
        List<Match> matches = new ArrayList<>();
        if (itemCode != null && !itemCode.isBlank()) {
            for (CatalogStore.SetInfo s : sets) {
                rows(s.name(), itemCode.trim(), 0, 50).forEach(r -> matches.add(new Match(s.name(), r)));
            }
        }
        return Templates.knowledge(sets, itemCode == null ? "" : itemCode, matches, null, saved);
    }

    @GET
    @Path("/{name}")
    public TemplateInstance show(@PathParam("name") String name, @QueryParam("itemCode") String itemCode, @QueryParam("page") String page,
                                 @QueryParam("saved") String saved) {
        CatalogStore.SetInfo set = set(name);
        return setPage(set, itemCode, page, null, saved);
    }

    @POST
    @Path("/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ADMIN})
    public Response upload(@RestForm("_csrf") String csrf, @RestForm String name, @RestForm("file") FileUpload file) throws IOException {
        user.checkCsrf(csrf);
        String setName = name == null ? "" : name.trim();
        String csv = file == null || file.uploadedFile() == null ? "" : Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
        if (csv.length() > config.maxUploadBytes()) {
            throw new ConsoleException(413, "文件大于 " + config.maxUploadBytes() + " 字节。");
        }
        try {
            KnowledgeSet parsed = catalog.parseCsv(setName, csv);
            catalog.putKnowledgeSet(parsed);
        } catch (ApiException e) {
            Upload upload = upload(setName, csv, e);
            TemplateInstance page = QuarkusTransaction.joiningExisting().call(() -> store.set(CatalogStore.DRAFT, setName)).isPresent()
                    ? setPage(set(setName), null, null, upload, null)
                    : Templates.knowledge(sets(), "", List.of(), upload, null);
            return ConsolePages.page(422, page);
        }
        return Response.seeOther(URI.create("/console/knowledge/" + RulesResource.enc(setName) + "?saved=1")).build();
    }

    private TemplateInstance setPage(CatalogStore.SetInfo set, String itemCode, String page, Upload upload, String saved) {
        List<KnowledgeRow> rows;
        Paging<KnowledgeRow> paging;
        String query = RulesResource.query("itemCode", itemCode);
        if (itemCode != null && !itemCode.isBlank()) {
            rows = rows(set.name(), itemCode.trim(), 0, 1000);
            paging = Paging.of(rows, page, query);
        } else {
            // page through the database, not memory: a national set has thousands of rows
            int p = Math.max(1, parse(page));
            int pages = Math.max(1, (set.rowCount() + Paging.SIZE - 1) / Paging.SIZE);
            p = Math.min(p, pages);
            rows = rows(set.name(), null, (p - 1) * Paging.SIZE, Paging.SIZE);
            paging = new Paging<>(rows, p, pages, set.rowCount(), query);
        }
        List<String> columns = set.columns().stream().filter(c -> !c.equals("kp_id") && !c.equals("item_codes")).toList();
        return Templates.knowledgeSet(set, columns, paging, itemCode == null ? "" : itemCode, upload, saved);
    }

    static Upload upload(String name, String csv, ApiException e) {
        Map<Integer, List<String>> byRow = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (FieldError f : e.errors()) {
            Matcher m = ROW_FIELD.matcher(f.field());
            if (m.matches()) {
                String col = m.group(2);
                byRow.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                        .add((col == null ? "" : "列 " + col + "：") + f.message());
            } else {
                general.add((f.field().equals("/") ? "" : f.field() + "：") + f.message());
            }
        }
        // CSV records are numbered from the header (row 1); lines are shown as uploaded, so a record is
        // found by its line when no quoted value spans lines (the usual case for exported sheets)
        List<UploadLine> lines = new ArrayList<>();
        String[] split = csv.split("\r?\n", -1);
        for (int i = 0; i < split.length; i++) {
            if (i == split.length - 1 && split[i].isEmpty()) {
                break;
            }
            lines.add(new UploadLine(i + 1, split[i], byRow.getOrDefault(i + 1, List.of())));
        }
        return new Upload(name, e.getMessage(), general, lines, e.errors().size());
    }

    private List<CatalogStore.SetInfo> sets() {
        return QuarkusTransaction.joiningExisting().call(() -> store.sets(CatalogStore.DRAFT));
    }

    private CatalogStore.SetInfo set(String name) {
        return QuarkusTransaction.joiningExisting().call(() -> store.set(CatalogStore.DRAFT, name))
                .orElseThrow(() -> new ConsoleException(404, "草稿中没有知识库 " + name));
    }

    private List<KnowledgeRow> rows(String name, String itemCode, int offset, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> store.rows(CatalogStore.DRAFT, name, itemCode, offset, limit));
    }

    private static int parse(String s) {
        try {
            return s == null ? 1 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
