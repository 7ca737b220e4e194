package com.preaudit.audit;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.ws.rs.Consumes;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What the user did about the findings of an audit (PRODUCT.md §2 Disposition, §3.1). */
@Path("/api/v1/audits/{auditId}/dispositions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// the doctor's dispositions reach us through the HIS or EMR system that asked for the audit
@RolesAllowed(Roles.AUDIT_CLIENT)
@Tag(name = "Audits")
public class DispositionResource {

    static final Set<String> KINDS = Set.of("MODIFIED", "OVERRIDDEN", "SELF_PAY");
    static final int MAX_ITEMS = 1000;
    static final int MAX_TEXT = 2000;

    @Schema(name = "DispositionRequest")
    public record DispositionRequest(@Schema(required = true) List<ItemDto> items) { }

    @Schema(name = "DispositionItem")
    public record ItemDto(@Schema(required = true, description = "a finding id of this audit") String findingId,
                          @Schema(required = true, enumeration = {"MODIFIED", "OVERRIDDEN", "SELF_PAY"},
                                  description = "MODIFIED 返回修改 (NHSA dspo_way 2), OVERRIDDEN 继续执行 with a reason (dspo_way 1), SELF_PAY 转自费")
                          String disposition,
                          @Schema(description = "required for OVERRIDDEN") String reason,
                          @Schema(description = "user id of the doctor or nurse") String by) { }

    private final DispositionStore store;

    public DispositionResource(DispositionStore store) {
        this.store = store;
    }

    @POST
    @Operation(summary = "Report dispositions of findings",
            description = "Per finding: MODIFIED (the order was changed), OVERRIDDEN (continued, reason required) or SELF_PAY (转自费). "
                    + "Stored durably before 204; a finding may be disposed of again later, the latest counts in the statistics.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "override", value = """
            {"items": [{"findingId": "f1c2d3e4-0a1b-4c2d-8e3f-405162738495", "disposition": "OVERRIDDEN",
                        "reason": "患者已确诊，临床必需", "by": "00129"}]}""")))
    @APIResponse(responseCode = "204", description = "stored")
    @APIResponse(responseCode = "404", description = "unknown audit id", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "invalid items (fields named), e.g. an override without a reason or a finding of another audit",
            content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no reason", value = """
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": "the dispositions are invalid",
                     "errors": [{"field": "/items/0/reason", "message": "is required for OVERRIDDEN"}]}""")))
    @APIResponse(responseCode = "503", description = "the database is unreachable; nothing stored, retry")
    public void report(@PathParam("auditId") String auditId, DispositionRequest request) {
        List<FieldError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the dispositions are invalid", errors);
        }
        Optional<Set<String>> findings = store.findingIds(auditId);
        if (findings.isEmpty()) {
            throw ApiException.notFound("no audit " + auditId);
        }
        List<DispositionStore.Item> items = new ArrayList<>(request.items().size());
        for (int i = 0; i < request.items().size(); i++) {
            ItemDto it = request.items().get(i);
            if (!findings.get().contains(UUID.fromString(it.findingId()).toString())) {
                errors.add(new FieldError("/items/" + i + "/findingId", "is not a finding of audit " + auditId));
            } else {
                items.add(new DispositionStore.Item(UUID.fromString(it.findingId()), it.disposition(), blankToNull(it.reason()), blankToNull(it.by())));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the dispositions name findings that are not in this audit", errors);
        }
        store.store(auditId, items);
    }

    static List<FieldError> validate(DispositionRequest r) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null || r.items() == null || r.items().isEmpty()) {
            errors.add(new FieldError("/items", "at least one item is required"));
            return errors;
        }
        if (r.items().size() > MAX_ITEMS) {
            errors.add(new FieldError("/items", "at most " + MAX_ITEMS + " items"));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.items().size(); i++) {
            ItemDto it = r.items().get(i);
            String p = "/items/" + i;
            if (it == null) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            if (it.findingId() == null || it.findingId().isBlank()) {
                errors.add(new FieldError(p + "/findingId", "is required"));
            } else if (!isUuid(it.findingId())) {
                errors.add(new FieldError(p + "/findingId", "is not a finding id"));
            } else if (!seen.add(it.findingId())) {
                errors.add(new FieldError(p + "/findingId", "appears twice in this request"));
            }
            if (it.disposition() == null || !KINDS.contains(it.disposition())) {
                errors.add(new FieldError(p + "/disposition", "is required: MODIFIED, OVERRIDDEN or SELF_PAY"));
            } else if ("OVERRIDDEN".equals(it.disposition()) && (it.reason() == null || it.reason().isBlank())) {
                errors.add(new FieldError(p + "/reason", "is required for OVERRIDDEN (继续执行须填写理由)"));
            }
            if (it.reason() != null && it.reason().length() > MAX_TEXT) {
                errors.add(new FieldError(p + "/reason", "at most " + MAX_TEXT + " characters"));
            }
            if (it.by() != null && it.by().length() > 128) {
                errors.add(new FieldError(p + "/by", "at most 128 characters"));
            }
        }
        return errors;
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
