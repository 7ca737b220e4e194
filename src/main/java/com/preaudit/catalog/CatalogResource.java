package com.preaudit.catalog;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;

/** Versions of the catalog: publish, list, activate (rollback), diff, export and import. */
@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog versions", description = "Publish the draft, roll back, compare, export and import")
// reading is for authors and analysts; each change names the roles it needs
@RolesAllowed({Roles.RULE_AUTHOR, Roles.ANALYST})
public class CatalogResource {

    private final CatalogService service;
    private final CatalogStore store;
    private final CatalogRuntime runtime;
    private final CatalogConfig config;

    public CatalogResource(CatalogService service, CatalogStore store, CatalogRuntime runtime, CatalogConfig config) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.config = config;
    }

    public record PublishRequest(String note, Integer basedOn, String author) { }

    public record PublishResponse(int version, int rules, long knowledgeRows,
                                  @Schema(description = "APPROVED (active now) or PENDING (preaudit.catalog.approval=required: "
                                          + "serves only once another rule-publisher approves it)") String status) { }

    public record VersionView(int version, String note, String author, OffsetDateTime createdAt, Integer basedOn,
                              boolean active, int ruleCount, int rowCount,
                              @Schema(enumeration = {"PENDING", "APPROVED", "REJECTED"}) String status,
                              @Schema(description = "subject of the credential that published it") String publishedBy,
                              @Schema(description = "the rule-publisher who approved it (four-eyes publishing); null otherwise") String approvedBy,
                              @Schema(description = "who rejected it; null otherwise") String rejectedBy,
                              @Schema(description = "when it was approved or rejected") OffsetDateTime decidedAt,
                              @Schema(description = "the approver's or rejecter's note") String decisionNote) { }

    @Schema(name = "VersionDecision")
    public record DecisionRequest(@Schema(description = "why (required to reject)") String note) { }

    public record ActivateResponse(int version, boolean active) { }

    public record ImportResponse(int rules, int knowledgeSets, long knowledgeRows) { }

    @RolesAllowed(Roles.RULE_PUBLISHER)
    @POST
    @Path("/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish the draft as the next version",
            description = "Compiles every rule, runs every rule's own tests, freezes the draft as version n+1 and activates it. "
                    + "basedOn must be the active version (409 otherwise).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "publish", value = "{\"note\": \"2026 第十七批知识点\", \"basedOn\": 6, \"author\": \"医保科-张三\"}")))
    @APIResponse(responseCode = "201", description = "published and active",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created", value = "{\"version\": 7, \"rules\": 34, \"knowledgeRows\": 3620}")))
    @APIResponse(responseCode = "409", description = "basedOn is not the active version", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "a rule does not compile or a rule test fails", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public Response publish(PublishRequest body) {
        PublishRequest req = body == null ? new PublishRequest(null, null, null) : body;
        CatalogService.PublishResult r = service.publish(req.note(), req.basedOn(), req.author());
        return Response.status(201).entity(new PublishResponse(r.version(), r.rules(), r.rows(), r.status())).build();
    }

    @GET
    @Path("/versions")
    @Operation(summary = "List published versions")
    @APIResponse(responseCode = "200", description = "versions", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "versions", value = """
                    [{"version": 1, "note": "initial import of rules-catalog", "author": "system", "createdAt": "2026-06-14T08:00:00Z",
                      "active": true, "ruleCount": 34, "rowCount": 120, "publishedBy": "system"}]""")))
    public List<VersionView> versions() {
        Integer active = service.activeVersion();
        return QuarkusTransaction.joiningExisting().call(store::versions).stream()
                .map(v -> new VersionView(v.version(), v.note(), v.author(), v.createdAt(), v.basedOn(),
                        active != null && active == v.version(), v.ruleCount(), v.rowCount(), v.status(), v.publishedBy(),
                        CatalogApproval.APPROVED.equals(v.status()) ? v.decidedBy() : null,
                        CatalogApproval.REJECTED.equals(v.status()) ? v.decidedBy() : null, v.decidedAt(), v.decisionNote()))
                .toList();
    }

    @POST
    @Path("/versions/{n}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "Approve a pending version (four-eyes publishing)",
            description = "Makes the PENDING version active. Only another rule-publisher than its publisher may (403); once approved or "
                    + "rejected, 409; 409 too when the active version is no longer the one it was based on. Recorded in the change log.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "approve",
            value = "{\"note\": \"已核对规则测试与影响范围\"}")))
    @APIResponse(responseCode = "200", description = "approved and active", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "active", value = "{\"version\": 7, \"active\": true}")))
    @APIResponse(responseCode = "403", description = "the caller published this version")
    @APIResponse(responseCode = "404", description = "no such version")
    @APIResponse(responseCode = "409", description = "already approved or rejected, or based on a version no longer active")
    public ActivateResponse approve(@PathParam("n") String n, DecisionRequest body) {
        int version = com.preaudit.platform.Params.requiredInt("n", n, 1, Integer.MAX_VALUE);
        service.approve(version, body == null || body.note() == null || body.note().isBlank() ? null : body.note().trim());
        return new ActivateResponse(version, true);
    }

    @POST
    @Path("/versions/{n}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "Reject a pending version", description = "The version stays listed as REJECTED and can never be activated. "
            + "A note saying why is required. Recorded in the change log.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "reject",
            value = "{\"note\": \"阈值过严，请与临床科室确认后再发布\"}")))
    @APIResponse(responseCode = "204", description = "rejected")
    @APIResponse(responseCode = "404", description = "no such version")
    @APIResponse(responseCode = "409", description = "already approved or rejected")
    @APIResponse(responseCode = "422", description = "no note")
    public Response reject(@PathParam("n") String n, DecisionRequest body) {
        int version = com.preaudit.platform.Params.requiredInt("n", n, 1, Integer.MAX_VALUE);
        if (body == null || body.note() == null || body.note().isBlank()) {
            throw ApiException.unprocessable("a rejection needs a note", List.of(new FieldError("/note", "is required")));
        }
        service.reject(version, body.note().trim());
        return Response.noContent().build();
    }

    @RolesAllowed(Roles.RULE_PUBLISHER)
    @POST
    @Path("/versions/{n}/activate")
    @Operation(summary = "Activate a version (rollback or roll forward)",
            description = "Audits in flight finish on the version they started with; other nodes follow through LISTEN/NOTIFY.")
    @APIResponse(responseCode = "200", description = "active", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "active", value = "{\"version\": 6, \"active\": true}")))
    @APIResponse(responseCode = "404", description = "no such version")
    public ActivateResponse activate(@PathParam("n") String n) {
        int version = com.preaudit.platform.Params.requiredInt("n", n, 1, Integer.MAX_VALUE);
        service.activate(version);
        return new ActivateResponse(version, true);
    }

    @GET
    @Path("/versions/{a}/diff/{b}")
    @Operation(summary = "Compare two versions", description = "Rules added/removed/changed by code; knowledge rows by kp_id.")
    @APIResponse(responseCode = "200", description = "the differences", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "diff", value = """
                    {"from": 6, "to": 7, "rules": {"added": ["LOCAL-AMOUNT"], "removed": [], "changed": ["GZ10000301004000"]},
                     "knowledgeSets": [{"name": "drug-gender", "status": "CHANGED", "added": ["KP-1"], "removed": [], "changed": []}]}""")))
    public CatalogDiff diff(@PathParam("a") String aParam, @PathParam("b") String bParam) {
        int a = com.preaudit.platform.Params.requiredInt("a", aParam, 1, Integer.MAX_VALUE);
        int b = com.preaudit.platform.Params.requiredInt("b", bParam, 1, Integer.MAX_VALUE);
        CatalogContent ca = service.content(a);
        CatalogContent cb = service.content(b);
        return CatalogDiff.of(a, ca, b, cb);
    }

    @GET
    @Path("/export")
    @Produces("application/gzip")
    @Operation(summary = "Export a version as rules-catalog .tar.gz", description = "The active version when no version is given.")
    @APIResponse(responseCode = "200", description = "the archive", content = @Content(mediaType = "application/gzip",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    public Response export(@QueryParam("version") String version) {
        Integer requested = com.preaudit.platform.Params.optionalInt("version", version, 1, Integer.MAX_VALUE);
        Integer v = requested != null ? requested : service.activeVersion();
        if (v == null) {
            throw ApiException.notFound("no version is active yet");
        }
        byte[] bytes = CatalogArchive.toBytes(service.content(v));
        return Response.ok(bytes, "application/gzip")
                .header("Content-Disposition", "attachment; filename=\"rules-catalog-v" + v + ".tar.gz\"")
                .build();
    }

    @RolesAllowed(Roles.RULE_PUBLISHER)
    @POST
    @Path("/import")
    @Consumes({"application/gzip", "application/x-gzip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Replace the draft with a rules-catalog .tar.gz",
            description = "Every file is checked first (YAML, CSV, rule validation); on any error nothing is replaced.")
    @RequestBody(content = @Content(mediaType = "application/gzip",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "200", description = "the draft now holds the archive", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "imported", value = "{\"rules\": 34, \"knowledgeSets\": 28, \"knowledgeRows\": 120}")))
    @APIResponse(responseCode = "422", description = "errors per file; nothing replaced", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public ImportResponse importArchive(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the body must be a rules-catalog .tar.gz", List.of(new FieldError("/", "empty body")));
        }
        if (body.length > config.maxUploadBytes()) {
            throw new ApiException(413, "Content Too Large", "the archive is larger than " + config.maxUploadBytes() + " bytes");
        }
        InputStream in = new ByteArrayInputStream(body);
        CatalogContent content = CatalogArchive.readTarGz(in, config.maxUploadBytes() * 8);
        service.replaceDraft(content);
        return new ImportResponse(content.rules().size(), content.sets().size(), content.rowCount());
    }
}
