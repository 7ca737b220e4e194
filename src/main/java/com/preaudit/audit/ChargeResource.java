package com.preaudit.audit;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Stored history (PRODUCT.md §3.2): charges posted by the billing screen, and refunds. */
@Path("/api/v1/charges")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// posted charges come from the HIS, never from a person
@RolesAllowed(Roles.AUDIT_CLIENT)
@Tag(name = "Charges", description = "收费/退费: posted charge lines, the stored history that later audits see")
public class ChargeResource {

    static final int MAX_LINES = 2000;
    static final int MAX_ID = 128;

    static final String REQUEST_EXAMPLE = """
            {"patientId": "1058158", "encounterId": "2001668",
             "lines": [{"id": "C20250614-0001", "itemCode": "003101000010000", "itemName": "床旁B超",
                        "itemType": "SERVICE", "quantity": 1, "unitPrice": 80.00, "amount": 80.00,
                        "orderedAt": "2025-06-14T09:10:00", "departmentCode": "100309", "doctorId": "00129"},
                       {"id": "C20250614-0002", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                        "itemType": "DRUG", "quantity": 1, "unitPrice": 1153.00, "amount": 1153.00,
                        "orderedAt": "2025-06-14T14:25:52", "days": 1, "prescriptionNo": "IP202506140000022"}]}""";

    @Schema(name = "ChargeRequest")
    public record ChargeRequest(@Schema(required = true) String patientId,
                                @Schema(description = "encounter of the lines (a line's own encounterId wins)") String encounterId,
                                @Schema(required = true) List<AuditRequest.LineDto> lines) { }

    @Schema(name = "ChargeResult")
    public record ChargeResult(@Schema(description = "lines stored now") int recorded,
                               @Schema(description = "lines already stored (same patient and line id), left unchanged") int alreadyRecorded) { }

    private final ChargeStore store;

    public ChargeResource(ChargeStore store) {
        this.store = store;
    }

    @POST
    @Operation(summary = "Record posted charges",
            description = "Stores the lines as posted (收费) so that frequency, duplicate-charge and course-of-treatment rules see them in "
                    + "later audits of the patient. Idempotent by (patientId, line id): a line already stored is not duplicated or changed. "
                    + "Answers only after the lines are committed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "two lines", value = REQUEST_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "how many lines were stored now and how many were already there",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "stored", value = "{\"recorded\": 2, \"alreadyRecorded\": 0}")))
    @APIResponse(responseCode = "422", description = "invalid lines (fields named); nothing stored", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "missing fields", value = """
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": "the charges are invalid",
                     "errors": [{"field": "/lines/1/quantity", "message": "is required"}]}""")))
    @APIResponse(responseCode = "503", description = "the database is unreachable; nothing stored, retry")
    public ChargeResult record(ChargeRequest request) {
        List<FieldError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the charges are invalid", errors);
        }
        ChargeStore.Counts counts = store.record(request.patientId(), request.encounterId(), request.lines());
        return new ChargeResult(counts.recorded(), counts.alreadyRecorded());
    }

    @DELETE
    @Path("/{patientId}/{lineId}")
    @Operation(summary = "Record a refund (退费)",
            description = "The line stays stored, flagged refunded, and no longer counts as history in later audits. Refunding twice is harmless.")
    @APIResponse(responseCode = "204", description = "refund recorded")
    @APIResponse(responseCode = "404", description = "the patient has no such line", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public void refund(@PathParam("patientId") String patientId, @PathParam("lineId") String lineId) {
        if (!store.refund(patientId, lineId)) {
            throw ApiException.notFound("patient " + patientId + " has no charge line " + lineId);
        }
    }

    @GET
    @Path("/{patientId}")
    @Operation(summary = "A patient's stored charges", description = "Lines ordered in the date range (default: the last 30 days), refunds flagged, oldest first.")
    @APIResponse(responseCode = "200", description = "the lines", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "lines", value = """
                    [{"lineId": "C20250614-0001", "encounterId": "2001668", "itemCode": "003101000010000", "itemName": "床旁B超",
                      "itemType": "SERVICE", "quantity": 1, "amount": 80.00, "orderedAt": "2025-06-14T09:10:00",
                      "recordedAt": "2025-06-14T09:12:03+08:00", "refunded": false, "refundedAt": null}]""")))
    public List<ChargeStore.StoredCharge> list(@PathParam("patientId") String patientId,
                                               @Parameter(description = "first day (yyyy-MM-dd)") @QueryParam("from") String from,
                                               @Parameter(description = "last day (yyyy-MM-dd), inclusive") @QueryParam("to") String to,
                                               @QueryParam("limit") @DefaultValue("1000") int limit) {
        LocalDate toDate = date("to", to, LocalDate.now());
        LocalDate fromDate = date("from", from, toDate.minusDays(29));
        if (fromDate.isAfter(toDate)) {
            throw ApiException.badRequest("from is after to", List.of(new FieldError("from", "must not be after to")));
        }
        if (limit < 1 || limit > 10_000) {
            throw ApiException.badRequest("invalid limit", List.of(new FieldError("limit", "must be 1–10000")));
        }
        return store.list(patientId, fromDate, toDate, limit);
    }

    static List<FieldError> validate(ChargeRequest r) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null) {
            errors.add(new FieldError("/", "a JSON body {patientId, encounterId, lines} is required"));
            return errors;
        }
        if (r.patientId() == null || r.patientId().isBlank()) {
            errors.add(new FieldError("/patientId", "is required"));
        } else if (r.patientId().length() > MAX_ID) {
            errors.add(new FieldError("/patientId", "at most " + MAX_ID + " characters"));
        }
        AuditRequests.noNul(errors, "/patientId", r.patientId());
        AuditRequests.noNul(errors, "/encounterId", r.encounterId());
        if (r.lines() == null || r.lines().isEmpty()) {
            errors.add(new FieldError("/lines", "at least one line is required"));
        } else if (r.lines().size() > MAX_LINES) {
            errors.add(new FieldError("/lines", "at most " + MAX_LINES + " lines per call"));
        } else {
            AuditRequests.validateLines("/lines", r.lines(), null, errors);
        }
        return errors;
    }

    static LocalDate date(String name, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid " + name, List.of(new FieldError(name, "must be a date yyyy-MM-dd, got '" + value + "'")));
        }
    }
}
