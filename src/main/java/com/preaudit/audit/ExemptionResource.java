package com.preaudit.audit;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Exemptions (特批/备案, PRODUCT.md §11): the insurance office approves a patient for a rule (and item) for a
 * period; audits on every node read the patient's valid exemptions in their history statement, so a grant or a
 * revoke counts in the next audit anywhere.
 */
@Path("/api/v1/exemptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Exemptions", description = "特批/备案: a patient approved for a rule (and item) is no longer blocked by it")
public class ExemptionResource {

    @Schema(name = "ExemptionRequest")
    public record ExemptionRequest(@Schema(required = true) String patientId,
                                   @Schema(required = true, description = "the rule whose findings are exempted") String ruleCode,
                                   @Schema(description = "only findings on this item (医保编码); all the rule's findings when absent") String itemCode,
                                   @Schema(required = true, description = "first day, yyyy-MM-dd") String validFrom,
                                   @Schema(required = true, description = "last day, yyyy-MM-dd, inclusive") String validTo,
                                   @Schema(required = true, description = "why (审批意见)") String reason,
                                   @Schema(description = "the approval's number (批准文号)") String approvalNo) { }

    @Schema(name = "Exemption")
    public record ExemptionDto(String id, String patientId, String ruleCode, String itemCode, LocalDate validFrom, LocalDate validTo,
                               String reason, String approvalNo, String grantedBy, OffsetDateTime grantedAt, String revokedBy,
                               OffsetDateTime revokedAt,
                               @Schema(description = "not revoked and valid today") boolean active) {

        static ExemptionDto of(Exemption e, LocalDate today) {
            return new ExemptionDto(e.id.toString(), e.patientId, e.ruleCode, e.itemCode, e.validFrom, e.validTo, e.reason, e.approvalNo,
                    e.grantedBy, e.grantedAt, e.revokedBy, e.revokedAt, e.activeOn(today));
        }
    }

    private final ExemptionService service;

    public ExemptionResource(ExemptionService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "Grant an exemption", description = "While valid (validFrom..validTo, inclusive), a finding of the rule for the "
            + "patient (and the item, when given) is answered with action INFO and exemptionId and leaves the decision. Counts in "
            + "the next audit on every node. Recorded in the change log (exemption.grant).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "特批", value = """
            {"patientId": "1058158", "ruleCode": "GZ10000101008000", "itemCode": "XA10BJA085B002010106474",
             "validFrom": "2026-12-01", "validTo": "2027-02-28", "reason": "医保办审批：符合限定支付条件", "approvalNo": "YB-2026-0312"}""")))
    @APIResponse(responseCode = "201", description = "granted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "id", value = "{\"id\": \"0193a5c2-7f1e-7c3a-9d2b-5e8f1a2b3c4d\"}")))
    @APIResponse(responseCode = "422", description = "a field is missing or invalid (named in errors); nothing stored",
            content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public Response grant(ExemptionRequest body) {
        Exemption e = service.grant(body);
        return Response.created(URI.create("/api/v1/exemptions/" + e.id)).entity(Map.of("id", e.id.toString())).build();
    }

    @GET
    @RolesAllowed({Roles.ANALYST, Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "List exemptions", description = "Newest first, revoked ones included unless active=true.")
    public List<ExemptionDto> list(@Parameter(description = "only this patient's") @QueryParam("patientId") String patientId,
                                   @Parameter(description = "true: only those valid today and not revoked") @QueryParam("active") String active,
                                   @Parameter(description = "rows, 1–1000 (default 100)") @QueryParam("limit") String limit) {
        boolean onlyActive = flag(active);
        int rows = limit(limit);
        LocalDate today = LocalDate.now();
        return service.list(patientId, onlyActive ? ExemptionService.State.ACTIVE : ExemptionService.State.ALL, today, 0, rows).rows()
                .stream().map(e -> ExemptionDto.of(e, today)).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ANALYST, Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "One exemption")
    @APIResponse(responseCode = "404", description = "no such exemption")
    public ExemptionDto get(@PathParam("id") String id) {
        return ExemptionDto.of(service.find(id), LocalDate.now());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.RULE_PUBLISHER, Roles.ADMIN})
    @Operation(summary = "Revoke an exemption", description = "From the next audit on, on every node, its findings block again. The exemption "
            + "stays listed with who revoked it and when; revoking twice changes nothing. Recorded in the change log (exemption.revoke).")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "no such exemption")
    public Response revoke(@PathParam("id") String id) {
        service.revoke(id);
        return Response.noContent().build();
    }

    private static boolean flag(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid query parameters", List.of(new FieldError("active", "must be true or false")));
        };
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 100;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1 && v <= 1000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid query parameters", List.of(new FieldError("limit", "must be a whole number 1–1000")));
    }
}
