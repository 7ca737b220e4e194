package com.preaudit.interop.cdshooks;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.preaudit.audit.AuditResponse;
import com.preaudit.audit.AuditService;
import com.preaudit.engine.model.Action;
import com.preaudit.interop.FeedbackItem;
import com.preaudit.interop.FeedbackRecorder;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * CDS Hooks 2.0 services for EHR-style workstations: {@code order-select} and {@code order-sign}.
 * Each finding becomes a card whose uuid is the finding id, so feedback maps back to dispositions.
 */
@Path("/cds-services")
@Produces(MediaType.APPLICATION_JSON)
// every service here answers a HIS or EMR system, never a person
@RolesAllowed(Roles.AUDIT_CLIENT)
@Tag(name = "CDS Hooks", description = "HL7 CDS Hooks 2.0: order-select and order-sign")
public class CdsHooksResource {

    public static final String SELECT_ID = "preaudit-order-select";
    public static final String SIGN_ID = "preaudit-order-sign";

    static final String HOOK_EXAMPLE = """
            {"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "hook": "order-sign",
             "context": {"userId": "Practitioner/00129", "patientId": "1058158", "encounterId": "2001668",
               "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "MedicationRequest", "id": "6374",
                 "status": "draft", "intent": "order", "subject": {"reference": "Patient/1058158"},
                 "medicationCodeableConcept": {"coding": [{"system": "urn:nhsa:hilist", "code": "XG02BAZ061Z007010279543",
                   "display": "左炔诺孕酮宫内节育系统"}]},
                 "dispenseRequest": {"quantity": {"value": 1}, "expectedSupplyDuration": {"value": 1, "unit": "days"}}}}]}},
             "prefetch": {"patient": {"resourceType": "Patient", "id": "1058158", "gender": "male", "birthDate": "1951-08-27"},
               "encounter": {"resourceType": "Encounter", "id": "2001668", "status": "in-progress", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"}},
               "conditions": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Condition", "id": "c1",
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "M10.001", "display": "痛风性关节炎"}]}}}]}}}""";

    static final String CARDS_EXAMPLE = """
            {"cards": [{"uuid": "f1c2a3b4-0000-4000-8000-000000000001", "summary": "药品区分性别使用：左炔诺孕酮宫内节育系统限女性使用，患者性别为男",
              "detail": "**拦截**：左炔诺孕酮宫内节育系统限女性使用，患者性别为男\\n\\n依据：避孕，3 年有效。", "indicator": "critical",
              "source": {"label": "PreAudit 医保事前审核"},
              "overrideReasons": [{"code": "clinical-need", "system": "urn:preaudit:override-reason", "display": "临床必需，已告知患者"}],
              "selectionBehavior": "at-most-one",
              "suggestions": [{"label": "删除该医嘱", "uuid": "0e6e7c06-0000-4000-8000-000000000002", "isRecommended": true,
                "actions": [{"type": "delete", "description": "删除 左炔诺孕酮宫内节育系统", "resourceId": "MedicationRequest/6374"}]}]}]}""";

    private final AuditService audits;
    private final CdsHooksTranslator translator;
    private final CdsHooksConfig config;
    private final FeedbackRecorder feedback;
    private final ObjectMapper mapper;

    public CdsHooksResource(AuditService audits, CdsHooksConfig config, FeedbackRecorder feedback, ObjectMapper mapper) {
        this.audits = audits;
        this.translator = new CdsHooksTranslator(config);
        this.config = config;
        this.feedback = feedback;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "CDS Hooks discovery", description = "The two services with their prefetch templates.")
    @APIResponse(responseCode = "200", description = "services")
    public ObjectNode discovery() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode services = root.putArray("services");
        services.add(service(SELECT_ID, "order-select", "医保事前提醒（选择医嘱）",
                "Checks newly selected orders against the medical-insurance rules (医保事前提醒) as the doctor picks them."));
        services.add(service(SIGN_ID, "order-sign", "医保事前审核（签署医嘱）",
                "Audits all draft orders against the medical-insurance rules (医保事前审核) before the doctor signs them."));
        return root;
    }

    private static ObjectNode service(String id, String hook, String title, String description) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("hook", hook);
        s.put("id", id);
        s.put("title", title);
        s.put("description", description);
        ObjectNode prefetch = s.putObject("prefetch");
        prefetch.put("patient", "Patient/{{context.patientId}}");
        prefetch.put("encounter", "Encounter/{{context.encounterId}}");
        prefetch.put("conditions", "Condition?patient={{context.patientId}}&encounter={{context.encounterId}}");
        prefetch.put("procedures", "Procedure?patient={{context.patientId}}&encounter={{context.encounterId}}");
        return s;
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Call a CDS service", description = "order-select audits only context.selections; order-sign audits every draft order.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "order-sign", value = HOOK_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "cards", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "cards", value = CARDS_EXAMPLE)))
    @APIResponse(responseCode = "412", description = "patient data missing from prefetch (OperationOutcome)")
    public Response call(@PathParam("id") String id, String body) {
        boolean select = SELECT_ID.equals(id);
        if (!select && !SIGN_ID.equals(id)) {
            throw ApiException.notFound("no CDS service " + id + "; see GET /cds-services");
        }
        JsonNode request = parse(body);
        String hook = CdsHooksTranslator.text(request, "hook");
        if (!hook.isEmpty() && !hook.equals(select ? "order-select" : "order-sign")) {
            throw ApiException.badRequest("hook " + hook + " does not match service " + id, List.of(new FieldError("/hook", "must be " + (select ? "order-select" : "order-sign"))));
        }
        CdsHooksTranslator.Translated t;
        try {
            t = translator.translate(request, select);
        } catch (CdsHooksTranslator.MissingPrefetchException e) {
            return Response.status(412).type(MediaType.APPLICATION_JSON).entity(operationOutcome("required", e.getMessage())).build();
        } catch (CdsHooksTranslator.BadHookRequestException e) {
            throw ApiException.badRequest(e.getMessage(), List.of(new FieldError(e.field(), e.getMessage())));
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode cards = root.putArray("cards");
        if (t.request().lines().isEmpty()) {
            return Response.ok(root).build();
        }
        AuditResponse response = audits.audit(t.request());
        for (AuditResponse.FindingDto f : response.findings()) {
            cards.add(card(f, t));
        }
        return Response.ok(root).build();
    }

    private ObjectNode card(AuditResponse.FindingDto f, CdsHooksTranslator.Translated t) {
        ObjectNode card = JsonNodeFactory.instance.objectNode();
        card.put("uuid", f.id());
        card.put("summary", truncate(f.ruleName() + "：" + f.message(), 140));
        String verdict = f.exemptionId() != null ? "**已特批/备案**（本次不拦截，可按医保结算）" : switch (f.action()) {
            case BLOCK -> "**拦截**（不可按医保结算，请修改医嘱或转自费）";
            case WARN -> "**提醒**（可继续，需说明理由）";
            default -> "**提示**";
        };
        StringBuilder detail = new StringBuilder(verdict).append("：").append(f.message());
        if (f.basis() != null && !f.basis().isBlank()) {
            detail.append("\n\n依据：").append(f.basis());
        }
        detail.append("\n\n规则：").append(f.ruleCode()).append(' ').append(f.ruleName());
        card.put("detail", detail.toString());
        card.put("indicator", f.action() == Action.BLOCK ? "critical" : f.action() == Action.WARN ? "warning" : "info");
        card.putObject("source").put("label", config.sourceLabel());
        ArrayNode reasons = card.putArray("overrideReasons");
        reasons.addObject().put("code", "clinical-need").put("system", "urn:preaudit:override-reason").put("display", "临床必需，已告知患者");
        reasons.addObject().put("code", "self-pay").put("system", "urn:preaudit:override-reason").put("display", "患者同意自费");
        reasons.addObject().put("code", "indication-met").put("system", "urn:preaudit:override-reason").put("display", "符合限定支付条件");
        List<String> resources = new ArrayList<>();
        for (String lineId : f.lineIds()) {
            String ref = t.resourceOfLine().get(lineId);
            if (ref != null) {
                resources.add(ref);
            }
        }
        // an exempted finding asks nothing of the doctor: no suggestion to delete the order
        if (!resources.isEmpty() && f.exemptionId() == null) {
            card.put("selectionBehavior", "at-most-one");
            ObjectNode suggestion = card.putArray("suggestions").addObject();
            suggestion.put("label", "删除该医嘱");
            suggestion.put("uuid", UUID.randomUUID().toString());
            suggestion.put("isRecommended", f.action() == Action.BLOCK);
            ArrayNode actions = suggestion.putArray("actions");
            for (String ref : resources) {
                actions.addObject().put("type", "delete").put("description", "删除 " + ref).put("resourceId", ref);
            }
        }
        return card;
    }

    @POST
    @Path("/{id}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Card feedback", description = "accepted → MODIFIED, overridden (+ overrideReason) → OVERRIDDEN, stored as dispositions of the audit.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "overridden", value = """
            {"feedback": [{"card": "f1c2a3b4-0000-4000-8000-000000000001", "outcome": "overridden",
              "overrideReason": {"reason": {"code": "clinical-need", "system": "urn:preaudit:override-reason", "display": "临床必需，已告知患者"},
                                 "userComment": "患者术后需要"}, "outcomeTimestamp": "2025-06-14T14:30:00Z"}]}""")))
    @APIResponse(responseCode = "200", description = "recorded")
    @APIResponse(responseCode = "422", description = "unknown card or missing reason")
    public Response feedback(@PathParam("id") String id, String body) {
        if (!SELECT_ID.equals(id) && !SIGN_ID.equals(id)) {
            throw ApiException.notFound("no CDS service " + id);
        }
        JsonNode root = parse(body);
        JsonNode items = root.path("feedback");
        if (!items.isArray() || items.isEmpty()) {
            throw ApiException.badRequest("feedback is required", List.of(new FieldError("/feedback", "a non-empty array is required")));
        }
        List<FeedbackItem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String card = CdsHooksTranslator.text(item, "card");
            if (card.isEmpty()) {
                throw ApiException.unprocessable("card is required", List.of(new FieldError("/feedback/" + i + "/card", "is required")));
            }
            switch (CdsHooksTranslator.text(item, "outcome")) {
                case "accepted" -> out.add(new FeedbackItem(card, "MODIFIED", null, null));
                case "overridden" -> {
                    JsonNode reason = item.path("overrideReason");
                    String text = reason.path("reason").path("display").asText("");
                    if (text.isEmpty()) {
                        text = reason.path("reason").path("code").asText("");
                    }
                    String comment = reason.path("userComment").asText("");
                    String full = comment.isEmpty() ? text : text.isEmpty() ? comment : text + "：" + comment;
                    if (full.isEmpty()) {
                        throw ApiException.unprocessable("an override needs a reason",
                                List.of(new FieldError("/feedback/" + i + "/overrideReason", "reason or userComment is required")));
                    }
                    out.add(new FeedbackItem(card, "OVERRIDDEN", full, null));
                }
                default -> throw ApiException.unprocessable("unknown outcome",
                        List.of(new FieldError("/feedback/" + i + "/outcome", "must be accepted or overridden")));
            }
        }
        feedback.record(out);
        return Response.ok().build();
    }

    private JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("a JSON object is required", List.of(new FieldError("/", "not a JSON object")));
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON", List.of(new FieldError("/", e.getMessage())));
        }
    }

    static ObjectNode operationOutcome(String code, String diagnostics) {
        ObjectNode oo = JsonNodeFactory.instance.objectNode();
        oo.put("resourceType", "OperationOutcome");
        ObjectNode issue = oo.putArray("issue").addObject();
        issue.put("severity", "error");
        issue.put("code", code);
        issue.put("diagnostics", diagnostics);
        return oo;
    }

    private static String truncate(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }
}
