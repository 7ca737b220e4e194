package com.preaudit.simulation;

import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditRequests;
import com.preaudit.audit.AuditResource;
import com.preaudit.audit.AuditResponse;
import com.preaudit.audit.AuditService;
import com.preaudit.catalog.CatalogService;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.model.Decision;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * A draft rule tried on requests the author writes (规则试算). It sits with the simulations, not in the catalog: it
 * runs audits, and the catalog stays below the audit room.
 */
@Path("/api/v1/rules/{code}/test")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class RuleDryRunResource {

    public record DryRunRequest(List<AuditRequest> requests) { }

    public record DryRunResult(int request, Decision decision, List<AuditResponse.FindingDto> findings,
                               List<AuditResponse.SkippedDto> skipped) { }

    public record DryRunResponse(String ruleCode, List<DryRunResult> results) { }

    private final CatalogService catalog;

    public RuleDryRunResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @POST
    @Operation(summary = "Dry-run one draft rule",
            description = "Compiles the draft and runs only this rule on each request; nothing is stored.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "requests",
            value = "{\"requests\": [" + AuditResource.REQUEST_EXAMPLE + "]}")))
    @APIResponse(responseCode = "200", description = "findings per request", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "result", value = """
                    {"ruleCode": "GZ10000301004000", "results": [{"request": 0, "decision": "BLOCK",
                      "findings": [{"id": "f1", "ruleCode": "GZ10000301004000", "ruleName": "药品区分性别使用", "resultType": "VIOLATION",
                                    "action": "BLOCK", "lineIds": ["6374"], "itemCodes": ["XG02BAZ061Z007010279543"],
                                    "message": "左炔诺孕酮宫内节育系统限女性使用，患者性别为男", "amountAtRisk": 1153.00,
                                    "knowledgePointId": "KP-e93841e8e9a68cc2", "basis": "避孕，3 年有效。"}], "skipped": []}]}""")))
    @APIResponse(responseCode = "404", description = "no such rule in the draft")
    @APIResponse(responseCode = "422", description = "an invalid request (fields named) or a draft that does not compile")
    public DryRunResponse test(@PathParam("code") String code, DryRunRequest body) {
        if (body == null || body.requests() == null || body.requests().isEmpty()) {
            throw ApiException.unprocessable("at least one request is required", List.of(new FieldError("/requests", "must not be empty")));
        }
        for (int i = 0; i < body.requests().size(); i++) {
            AuditRequests.requireValid(body.requests().get(i), "/requests/" + i);
        }
        catalog.rule(code, null); // 404 when the draft has no such rule
        CatalogSnapshot draft = catalog.draftSnapshot();
        List<DryRunResult> results = new ArrayList<>();
        for (int i = 0; i < body.requests().size(); i++) {
            AuditResponse r = AuditService.dryRun(draft, body.requests().get(i), code);
            results.add(new DryRunResult(i, r.decision(), r.findings(), r.skipped()));
        }
        return new DryRunResponse(code, results);
    }
}
