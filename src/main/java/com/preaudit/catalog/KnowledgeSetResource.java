package com.preaudit.catalog;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** Knowledge sets (知识库) of the draft or of a published version. */
@Path("/api/v1/knowledge-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Knowledge sets", description = "知识库: knowledge points keyed by insurance item codes")
// reading is for authors and analysts; each change names the roles it needs
@RolesAllowed({Roles.RULE_AUTHOR, Roles.ANALYST})
public class KnowledgeSetResource {

    private static final String CSV_EXAMPLE = """
            kp_id,item_codes,item_name,gender,constraint_text
            KP-e93841e8e9a68cc2,XG02BAZ061Z007010279543,左炔诺孕酮宫内节育系统,F,避孕，3 年有效。
            KP-local-0001,XG04CBD247E002*,度他雄胺软胶囊,M,良性前列腺增生症
            """;

    private final CatalogService service;
    private final CatalogStore store;
    private final CatalogConfig config;

    public KnowledgeSetResource(CatalogService service, CatalogStore store, CatalogConfig config) {
        this.service = service;
        this.store = store;
        this.config = config;
    }

    public record SetSummary(String name, int rowCount, List<String> columns) { }

    public record RowsBody(List<Map<String, Object>> rows) { }

    public record RowView(String kpId, List<String> itemCodes, Map<String, String> values) { }

    @GET
    @Operation(summary = "List knowledge sets", description = "Names, row counts and columns of the draft's (or version N's) knowledge sets.")
    @APIResponse(responseCode = "200", description = "the sets", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "sets", value = """
                    [{"name": "drug-gender", "rowCount": 484, "columns": ["kp_id", "item_codes", "item_name", "gender", "constraint_text"]}]""")))
    public List<SetSummary> list(@Parameter(description = "published version; the draft when absent") @QueryParam("version") String versionParam) {
        Integer version = com.preaudit.platform.Params.optionalInt("version", versionParam, 1, Integer.MAX_VALUE);
        int v = version == null ? CatalogStore.DRAFT : version;
        return QuarkusTransaction.joiningExisting().call(() -> store.sets(v)).stream()
                .map(s -> new SetSummary(s.name(), s.rowCount(), s.columns())).toList();
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @PUT
    @Path("/{name}")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(summary = "Replace a draft knowledge set from CSV",
            description = "UTF-8 CSV with a header row; item_codes is required ('|'-separated, '*' suffix = prefix pattern); kp_id optional. "
                    + "Any error (row and column named) is a 422 and nothing is replaced.")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "drug-gender", value = CSV_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "replaced", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "summary", value = """
                    {"name": "drug-gender", "rowCount": 2, "columns": ["kp_id", "item_codes", "item_name", "gender", "constraint_text"]}""")))
    @APIResponse(responseCode = "422", description = "row/column errors; nothing replaced",
            content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE, examples = @ExampleObject(name = "errors", value = """
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
                     "detail": "the knowledge CSV has 1 error(s); nothing was replaced",
                     "errors": [{"field": "/rows/3/item_codes", "message": "item_codes is empty"}]}""")))
    public SetSummary putCsv(@PathParam("name") String name, String csv) {
        checkSize(csv);
        KnowledgeSet set = service.parseCsv(name, csv);
        CatalogStore.SetInfo info = service.putKnowledgeSet(set);
        return new SetSummary(info.name(), info.rowCount(), info.columns());
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a draft knowledge set from JSON rows",
            description = "Each row is an object of columns; item_codes is a '|'-separated string or an array.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rows", value = """
            {"rows": [{"kp_id": "KP-local-0001", "item_codes": ["XG02BAZ061Z007010279543"], "item_name": "左炔诺孕酮宫内节育系统", "gender": "F"}]}""")))
    @APIResponse(responseCode = "200", description = "replaced")
    @APIResponse(responseCode = "422", description = "row/column errors; nothing replaced")
    public SetSummary putJson(@PathParam("name") String name, RowsBody body) {
        if (body == null || body.rows() == null) {
            throw ApiException.badRequest("rows are required", List.of(new FieldError("/rows", "missing")));
        }
        KnowledgeSet set = service.parseCsv(name, CatalogArchive.rowsToCsv(body.rows()));
        CatalogStore.SetInfo info = service.putKnowledgeSet(set);
        return new SetSummary(info.name(), info.rowCount(), info.columns());
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a knowledge set from the draft", description = "Refused (409) while a draft rule uses it.")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "409", description = "still used by a rule")
    public void delete(@PathParam("name") String name) {
        CatalogService.requireSetName(name);
        service.deleteKnowledgeSet(name);
    }

    @GET
    @Path("/{name}/rows")
    @Operation(summary = "Rows of a knowledge set", description = "Filter by an item code: exact codes and prefix patterns that cover it.")
    @APIResponse(responseCode = "200", description = "rows", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "rows", value = """
                    [{"kpId": "KP-e93841e8e9a68cc2", "itemCodes": ["XG02BAZ061Z007010279543"],
                      "values": {"item_name": "左炔诺孕酮宫内节育系统", "gender": "F", "constraint_text": "避孕，3 年有效。"}}]""")))
    @APIResponse(responseCode = "404", description = "no such set")
    public List<RowView> rows(@PathParam("name") String name,
                              @QueryParam("itemCode") String itemCode,
                              @QueryParam("version") String versionParam,
                              @QueryParam("offset") @DefaultValue("0") String offsetParam,
                              @QueryParam("limit") @DefaultValue("500") String limitParam) {
        Integer version = com.preaudit.platform.Params.optionalInt("version", versionParam, 1, Integer.MAX_VALUE);
        int v = version == null ? CatalogStore.DRAFT : version;
        int offset = com.preaudit.platform.Params.requiredInt("offset", offsetParam, 0, Integer.MAX_VALUE);
        int limit = com.preaudit.platform.Params.requiredInt("limit", limitParam, 1, 10_000);
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (store.set(v, name).isEmpty()) {
                throw ApiException.notFound("no knowledge set " + name + (version == null ? " in the draft" : " in version " + version));
            }
            List<KnowledgeRow> rows = store.rows(v, name, itemCode, offset, limit);
            return rows.stream().map(r -> new RowView(r.kpId(), r.itemCodes(), r.values())).toList();
        });
    }

    private void checkSize(String body) {
        if (body != null && body.length() > config.maxUploadBytes()) {
            throw new ApiException(413, "Content Too Large", "the CSV is larger than " + config.maxUploadBytes() + " bytes");
        }
    }
}
