package com.preaudit.audit;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.platform.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

/** The native audit API. */
@Path("/api/v1/audits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Audits", description = "事前/事中审核: audit draft orders and charges against the active catalog")
public class AuditResource {

    public static final String REQUEST_EXAMPLE = """
            {"requestId": "HIS-20250614-000123", "stage": "PRE_ORDER", "scenario": "INPATIENT",
             "hospital": {"id": "H430796001", "level": 3},
             "patient": {"id": "1058158", "gender": "M", "birthDate": "1951-08-27", "insuranceType": "RESIDENT",
                         "pregnancy": "NONE", "chronicDiseases": ["M10.9"]},
             "encounter": {"id": "2001668", "admittedAt": "2025-05-04T10:59:45", "dischargedAt": null,
                           "departmentCode": "100309", "doctorId": "00129",
                           "diagnoses": [{"code": "M10.001", "name": "痛风性关节炎", "primary": true}]},
             "lines": [{"id": "6374", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                        "itemType": "DRUG", "quantity": 1, "unitPrice": 1153.00, "listPrice": 1153.00, "amount": 1153.00,
                        "orderedAt": "2025-06-14T14:25:52", "days": 1, "departmentCode": "100309", "doctorId": "ys01",
                        "prescriptionNo": "IP202506140000022", "groupNo": "", "dischargeMedication": false}],
             "history": []}""";

    static final String RESPONSE_EXAMPLE = """
            {"auditId": "0b9a3c4e-6f51-4d0e-9a8e-1f7b2c3d4e5f", "catalogVersion": 7, "decision": "BLOCK",
             "findings": [{"id": "f1c2a3b4-0000-4000-8000-000000000001", "ruleCode": "GZ10000301004000", "ruleName": "药品区分性别使用",
                           "resultType": "VIOLATION", "action": "BLOCK", "lineIds": ["6374"],
                           "itemCodes": ["XG02BAZ061Z007010279543"], "message": "左炔诺孕酮宫内节育系统限女性使用，患者性别为男",
                           "amountAtRisk": 1153.00, "knowledgePointId": "KP-e93841e8e9a68cc2", "basis": "避孕，3 年有效。"}],
             "skipped": [{"ruleCode": "GZ10000101008000", "reason": "no diagnosis on the encounter"}],
             "degraded": false, "recorded": true, "elapsedMicros": 182}""";

    private final AuditService service;
    private final AuditExport export;

    @jakarta.inject.Inject
    com.preaudit.platform.Caller caller;

    public AuditResource(AuditService service, AuditExport export) {
        this.service = service;
        this.export = export;
    }

    @GET
    @Path("/export")
    @Produces("application/gzip")
    @jakarta.annotation.security.RolesAllowed({com.preaudit.platform.Roles.ANALYST, com.preaudit.platform.Roles.ADMIN})
    @Operation(summary = "Export a month's audit records",
            description = "gzip JSON lines, one audit a line (stored columns, the request and the answer as stored), streamed. "
                    + "The month is China Standard Time, as the monthly partitions that preaudit.audit.retention-months drops.")
    @APIResponse(responseCode = "200", description = "the month's records, gzip-compressed JSON lines",
            content = @Content(mediaType = "application/gzip", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "month missing or not yyyy-MM", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public jakarta.ws.rs.core.Response export(
            @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(description = "the month, yyyy-MM", example = "2026-11")
            @jakarta.ws.rs.QueryParam("month") String month) {
        java.time.YearMonth m = month(month);
        jakarta.ws.rs.core.StreamingOutput body = out -> export.write(m, out);
        return jakarta.ws.rs.core.Response.ok(body, "application/gzip")
                .header("Content-Disposition", "attachment; filename=\"audits-" + m + ".jsonl.gz\"").build();
    }

    private static java.time.YearMonth month(String month) {
        if (month == null || month.isBlank()) {
            throw ApiException.badRequest("month is required", java.util.List.of(new com.preaudit.platform.FieldError("month", "is required (yyyy-MM)")));
        }
        try {
            return java.time.YearMonth.parse(month.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("month must be yyyy-MM", java.util.List.of(
                    new com.preaudit.platform.FieldError("month", "must be a month as yyyy-MM, e.g. 2026-11")));
        }
    }

    @RolesAllowed(Roles.AUDIT_CLIENT)
    @POST
    @Operation(summary = "Audit an order or charge",
            description = "Checks the lines against the active catalog version. The same requestId within 24 hours returns the stored answer.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditRequest.class),
            examples = @ExampleObject(name = "inpatient order", value = REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "the decision and findings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditResponse.class),
                    examples = @ExampleObject(name = "blocked", value = RESPONSE_EXAMPLE)))
    @APIResponse(responseCode = "422", description = "invalid request (fields named)", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "missing fields", value = """
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": "the audit request is invalid",
                     "errors": [{"field": "/patient/birthDate", "message": "is required (yyyy-MM-dd)"},
                                {"field": "/lines/0/itemCode", "message": "is required"}]}""")))
    @APIResponse(responseCode = "503", description = "no catalog loaded, or the record backlog is full")
    @io.smallrye.common.annotation.Blocking
    public CompletionStage<byte[]> audit(byte[] body) throws IOException {
        // The body is taken as bytes and parsed by the service so that the audit record stores it as
        // received and the answer is serialised once, for the caller and the record alike. The engine and the
        // history lookup run on a worker thread (@Blocking); the wait for the record's commit holds none.
        return service.auditJson(body);
    }

    @RolesAllowed({Roles.AUDIT_CLIENT, Roles.ANALYST})
    @GET
    @Path("/{auditId}")
    @Operation(summary = "A stored audit", description = "Roles: analyst, admin (any audit); audit-client (the audits its credential made). "
            + "The request (and its SHA-256 digest), the answer, the dispositions reported since and the calling client's subject.")
    @APIResponse(responseCode = "200", description = "the stored audit", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "stored", value = "{\"auditId\": \"0b9a3c4e-6f51-4d0e-9a8e-1f7b2c3d4e5f\", "
                    + "\"createdAt\": \"2025-06-14T14:25:53+08:00\", \"requestDigest\": \"3f7a…\", \"request\": " + REQUEST_EXAMPLE
                    + ", \"response\": " + RESPONSE_EXAMPLE + ", \"dispositions\": []}")))
    @APIResponse(responseCode = "404", description = "unknown audit id")
    public AuditStore.StoredAudit get(@PathParam("auditId") String auditId) {
        AuditStore.StoredAudit audit = service.find(auditId).orElseThrow(() -> ApiException.notFound("no audit " + auditId));
        // an audit-client reads the audits it made (PRODUCT.md §10); another client's audit is "not found",
        // so an id seen elsewhere does not confirm that the audit exists
        if (!caller.hasRole(Roles.ANALYST) && !caller.subject().equals(audit.clientSubject())) {
            throw ApiException.notFound("no audit " + auditId);
        }
        return audit;
    }
}
