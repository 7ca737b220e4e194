package com.preaudit.catalog;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.preaudit.engine.Problem;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Rules of the draft (or of a published version). */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "规则库: MVEL rules of the draft and of published versions")
public class RuleResource {

    static final String RULE_EXAMPLE = """
            {"code": "GZ10000301004000", "name": "药品区分性别使用", "tier": "MEDICAL", "category": "药品合理使用类",
             "resultType": "VIOLATION", "actions": {"PRE_ORDER": "BLOCK", "PRE_CHARGE": "BLOCK", "PRE_SETTLEMENT": "BLOCK"},
             "scenarios": ["OUTPATIENT", "EMERGENCY", "INPATIENT", "PHARMACY", "INTERNET"],
             "knowledgeSet": "drug-gender",
             "when": "patient.gender != 'U' && patient.gender != kp.gender",
             "message": "@{line.itemName}限@{kp.gender == 'F' ? '女' : '男'}性使用，患者性别为@{patient.gender == 'F' ? '女' : '男'}",
             "source": "国家医保局 医疗保障基金智能监管规则库、知识库（2025年版）",
             "tests": [{"name": "IUD for a male patient is blocked",
                        "request": {"stage": "PRE_ORDER", "patient": {"id": "t1", "gender": "M", "birthDate": "1980-01-01"},
                                    "lines": [{"id": "l1", "itemCode": "XG02BAZ061Z007010279543", "quantity": 1}]},
                        "expect": [{"lineIds": ["l1"]}]}]}""";

    private final CatalogService service;

    public RuleResource(CatalogService service) {
        this.service = service;
    }

    public record ValidationResult(boolean valid, List<FieldError> problems) { }

    @RolesAllowed({Roles.RULE_AUTHOR, Roles.ANALYST})
    @GET
    @Operation(summary = "List rules", description = "Rules of the draft, or of version N; filter by text in code/name and by tier.")
    @APIResponse(responseCode = "200", description = "the rules",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rules", value = "[" + RULE_EXAMPLE + "]")))
    public List<RuleDefinition> list(@Parameter(description = "published version; the draft when absent") @QueryParam("version") String version,
                                     @Parameter(description = "text contained in the code or name") @QueryParam("q") String q,
                                     @Parameter(description = "POLICY, MANAGEMENT or MEDICAL") @QueryParam("tier") String tier) {
        return service.rules(com.preaudit.platform.Params.optionalInt("version", version, 1, Integer.MAX_VALUE), q, tier);
    }

    @RolesAllowed({Roles.RULE_AUTHOR, Roles.ANALYST})
    @GET
    @Path("/{code}")
    @Operation(summary = "Get one rule")
    @APIResponse(responseCode = "200", description = "the rule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rule", value = RULE_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "no such rule", content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE))
    public RuleDefinition get(@PathParam("code") String code, @QueryParam("version") String version) {
        return service.rule(code, com.preaudit.platform.Params.optionalInt("version", version, 1, Integer.MAX_VALUE));
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @PUT
    @Path("/{code}")
    @Operation(summary = "Create or replace a rule in the draft",
            description = "The rule is validated (required fields, sandbox allow-list, MVEL compile, knowledge set exists) before it is saved.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "gender rule", value = RULE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "created")
    @APIResponse(responseCode = "200", description = "replaced")
    @APIResponse(responseCode = "422", description = "invalid rule; the draft is unchanged",
            content = @Content(mediaType = com.preaudit.platform.Problem.MEDIA_TYPE, examples = @ExampleObject(name = "sandbox", value = """
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
                     "detail": "the rule is invalid; the draft was not changed",
                     "errors": [{"field": "/when", "message": "'Runtime' is not an allowed variable", "position": 0}]}""")))
    public Response put(@PathParam("code") String code, RuleDefinition body) {
        boolean created = service.putRule(code, body);
        RuleDefinition saved = service.rule(code, null);
        return Response.status(created ? 201 : 200).entity(saved).build();
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @DELETE
    @Path("/{code}")
    @Operation(summary = "Remove a rule from the draft")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "not in the draft")
    public void delete(@PathParam("code") String code) {
        service.deleteRule(code);
    }

    @RolesAllowed(Roles.RULE_AUTHOR)
    @POST
    @Path("/validate")
    @Operation(summary = "Validate a rule without saving it",
            description = "Runs the same checks as PUT (sandbox, compile, knowledge set) and reports every problem with its field and position.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "hostile", value = """
            {"code": "X1", "name": "bad", "resultType": "VIOLATION", "actions": {"PRE_ORDER": "BLOCK"},
             "when": "Runtime.getRuntime().exec('rm -rf /') != null", "message": "x"}""")))
    @APIResponse(responseCode = "200", description = "validation result", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "rejected", value = """
                    {"valid": false, "problems": [{"field": "/when", "message": "'Runtime' is not an allowed variable", "position": 0}]}""")))
    public ValidationResult validate(RuleDefinition body) {
        if (body == null) {
            throw ApiException.badRequest("a rule body is required", List.of(new FieldError("/", "missing body")));
        }
        List<Problem> problems = service.validate(body);
        return new ValidationResult(problems.isEmpty(), problems.stream().map(p -> CatalogService.fieldError("", p)).toList());
    }
}
