package com.preaudit.interop.nhsa;

import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditResponse;
import com.preaudit.audit.AuditService;
import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.Stage;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.StorageException;
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
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The national platform's 3101 (事前), 3102 (事中) and 3103 (反馈) interfaces, so a HIS already
 * integrated with the national platform can point the same client at PreAudit. As the national
 * platform does, every answer is HTTP 200 with {@code infcode} 0 or -1 and {@code err_msg}.
 *
 * <p>Code values used in results: {@code sev_deg} 1 = 明确违规 (VIOLATION), 2 = 高度可疑 (SUSPICIOUS),
 * 3 = 提示 (INFO action); {@code vola_bhvr_type} 1 = 拦截 (BLOCK), 2 = 提醒 (WARN), 3 = 提示 (INFO);
 * {@code vola_amt_stas} 1 = amount computed from the flagged lines, 0 = no amount (order-level finding).
 */
@Path("/api/nhsa")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// every service here answers a HIS or EMR system, never a person
@RolesAllowed(Roles.AUDIT_CLIENT)
@Tag(name = "NHSA 3101/3102/3103", description = "国家医保信息平台 事前事中分析服务接口")
public class NhsaResource {

    private static final Logger LOG = Logger.getLogger(NhsaResource.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");

    static final String EXAMPLE_3101 = """
            {"infno": "3101", "msgid": "H43079600120250614142552001", "mdtrtarea_admvs": "430700", "insuplc_admdvs": "430796",
             "recer_sys_code": "HIS", "infver": "V1.0", "opter_type": "1", "opter": "00129", "opter_name": "李医生",
             "inf_time": "2025-06-14 14:25:52", "fixmedins_code": "H43079600120", "fixmedins_name": "某市人民医院",
             "input": {"data": {"syscode": "HIS", "task_id": "T20250614000123", "trig_scen": "5", "rule_ids": "",
               "patient_dtos": [{"patn_id": "1058158", "patn_name": "张三", "gend": "1", "brdy": "1951-08-27",
                 "fsi_encounter_dtos": [{"mdtrt_id": "2001668", "medins_id": "H43079600120", "medins_lv": "02",
                   "adm_date": "2025-05-04 10:59:45", "adm_dept_codg": "100309", "dr_codg": "00129",
                   "med_type": "21", "insutype": "390",
                   "fsi_diagnose_dtos": [{"dise_codg": "M10.001", "dise_name": "痛风性关节炎", "maindise_flag": "1"}],
                   "fsi_order_dtos": [{"rx_id": "6374", "rxno": "IP202506140000022", "grpno": "", "hilist_type": "101",
                     "hilist_code": "XG02BAZ061Z007010279543", "hilist_name": "左炔诺孕酮宫内节育系统",
                     "cnt": 1, "pric": 1153.00, "hilist_pric": 1153.00, "sumamt": 1153.00,
                     "drord_begn_date": "2025-06-14 14:25:52", "drord_dept_codg": "100309", "drord_dr_codg": "ys01",
                     "drord_bhvr": "0", "curr_drord_flag": "1"}]}]}]}}}""";

    static final String RESPONSE_3101 = """
            {"infcode": 0, "inf_refmsgid": "PA20250614142552123", "refmsg_time": "20250614142552120", "respond_time": "20250614142552123",
             "err_msg": "", "output": {"result": [{"jr_id": "f1c2a3b4-0000-4000-8000-000000000001", "rule_id": "GZ10000301004000",
               "rule_name": "药品区分性别使用", "vola_cont": "左炔诺孕酮宫内节育系统限女性使用，患者性别为男", "patn_id": "1058158",
               "mdtrt_id": "2001668", "vola_amt": 1153.00, "vola_amt_stas": "1", "sev_deg": "1", "vola_evid": "避孕，3 年有效。",
               "vola_bhvr_type": "1", "task_id": "T20250614000123",
               "judge_result_detail_dtos": [{"jrd_id": "f1c2a3b4-0000-4000-8000-000000000001-1", "patn_id": "1058158",
                 "mdtrt_id": "2001668", "rx_id": "6374", "vola_item_type": "1", "vola_amt": 1153.00}]}]}}""";

    private final AuditService audits;
    private final NhsaTranslator translator;
    private final NhsaFeedback feedback;
    private final ObjectMapper mapper;

    public NhsaResource(AuditService audits, NhsaConfig config, NhsaFeedback feedback, ObjectMapper mapper) {
        this.audits = audits;
        this.translator = new NhsaTranslator(config);
        this.feedback = feedback;
        this.mapper = mapper;
    }

    @POST
    @Operation(summary = "NHSA envelope dispatched on infno", description = "3101 事前分析, 3102 事中分析, 3103 反馈; answers HTTP 200 with infcode 0 or -1.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "3101", value = EXAMPLE_3101)))
    @APIResponse(responseCode = "200", description = "the national response envelope",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "3101 result", value = RESPONSE_3101)))
    public ObjectNode dispatch(String body) {
        return handle(null, body);
    }

    @POST
    @Path("/{infno}")
    @Operation(summary = "NHSA interface by number", description = "POST /api/nhsa/3101, /3102 or /3103; the envelope's infno, when given, must agree.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "3101", value = EXAMPLE_3101)))
    @APIResponse(responseCode = "200", description = "the national response envelope",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "3101 result", value = RESPONSE_3101)))
    public ObjectNode byNumber(@PathParam("infno") String infno, String body) {
        return handle(infno, body);
    }

    private ObjectNode handle(String pathInfno, String body) {
        String refTime = LocalDateTime.now().format(TIME);
        JsonNode envelope;
        try {
            envelope = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException e) {
            return error("报文不是合法的 JSON (the body is not valid JSON)", refTime);
        }
        if (envelope == null || !envelope.isObject()) {
            return error("报文为空或不是 JSON 对象 (an envelope object is required)", refTime);
        }
        String infno;
        String msgid;
        try {
            infno = NhsaTranslator.text(envelope, "infno");
            msgid = NhsaTranslator.text(envelope, "msgid");
        } catch (NhsaTranslator.EnvelopeException e) {
            return error(e.getMessage(), refTime);
        }
        if (pathInfno != null) {
            if (!infno.isEmpty() && !infno.equals(pathInfno)) {
                return error("infno " + infno + " 与地址 " + pathInfno + " 不一致 (envelope and path disagree)", refTime);
            }
            infno = pathInfno;
        }
        JsonNode data = envelope.path("input").path("data");
        if (!data.isObject()) {
            return error("input.data 不能为空 (is required)", refTime);
        }
        try {
            return switch (infno) {
                case "3101" -> analyse(data, Stage.PRE_ORDER, msgid, refTime);
                case "3102" -> analyse(data, stageOf3102(data), msgid, refTime);
                case "3103" -> {
                    feedback.record(data);
                    yield ok(JsonNodeFactory.instance.objectNode(), refTime);
                }
                case "" -> error("infno 不能为空 (is required: 3101, 3102 or 3103)", refTime);
                default -> error("不支持的交易编号 infno " + infno + " (supported: 3101, 3102, 3103)", refTime);
            };
        } catch (NhsaTranslator.EnvelopeException e) {
            return error(e.getMessage(), refTime);
        } catch (StorageException e) {
            return error("数据库暂不可用，未保存任何内容，请稍后重试 (" + e.store() + " is unavailable; nothing was stored, retry shortly)", refTime);
        } catch (ApiException e) {
            String detail = e.errors().isEmpty() ? "" : " " + e.errors().stream().map(f -> f.field() + ": " + f.message()).toList();
            return error(e.getMessage() + detail, refTime);
        } catch (RuntimeException e) {
            LOG.error("NHSA " + infno + " failed", e);
            return error("内部错误，请稍后重试 (internal error; see the PreAudit log)", refTime);
        }
    }

    /** 3102 at settlement (trig_scen 6–9: 结算/预结算) audits with the PRE_SETTLEMENT actions. */
    private static Stage stageOf3102(JsonNode data) {
        return switch (NhsaTranslator.text(data, "trig_scen")) {
            case "6", "7", "8", "9" -> Stage.PRE_SETTLEMENT;
            default -> Stage.PRE_CHARGE;
        };
    }

    private ObjectNode analyse(JsonNode data, Stage stage, String msgid, String refTime) {
        List<NhsaTranslator.EncounterAudit> encounters = translator.translate(data, stage, msgid.isEmpty() ? null : msgid);
        Set<String> only = NhsaTranslator.ruleIds(data);
        String taskId = NhsaTranslator.text(data, "task_id");
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        for (NhsaTranslator.EncounterAudit e : encounters) {
            AuditResponse response = audits.audit(e.request(), only);
            for (AuditResponse.FindingDto f : response.findings()) {
                results.add(result(f, e, taskId));
            }
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.set("result", results);
        return ok(output, refTime);
    }

    private static ObjectNode result(AuditResponse.FindingDto f, NhsaTranslator.EncounterAudit e, String taskId) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("jr_id", f.id());
        r.put("rule_id", f.ruleCode());
        r.put("rule_name", f.ruleName());
        r.put("vola_cont", f.message());
        r.put("patn_id", e.patientId());
        r.put("mdtrt_id", e.encounterId());
        r.put("vola_amt", f.amountAtRisk() == null ? BigDecimal.ZERO : f.amountAtRisk());
        r.put("vola_amt_stas", f.lineIds().isEmpty() ? "0" : "1");
        r.put("sev_deg", f.action() == Action.INFO ? "3" : f.resultType() == ResultType.SUSPICIOUS ? "2" : "1");
        r.put("vola_evid", f.basis());
        r.put("vola_bhvr_type", switch (f.action()) {
            case BLOCK -> "1";
            case WARN -> "2";
            default -> "3";     // INFO, also for an exempted finding (特批/备案, named in vola_cont)
        });
        r.put("task_id", taskId);
        ArrayNode details = r.putArray("judge_result_detail_dtos");
        Map<String, AuditRequest.LineDto> byId = new java.util.HashMap<>();
        for (AuditRequest.LineDto l : e.request().lines()) {
            byId.put(l.id(), l);
        }
        int n = 0;
        for (String lineId : f.lineIds()) {
            AuditRequest.LineDto line = byId.get(lineId);
            ObjectNode d = details.addObject();
            d.put("jrd_id", f.id() + "-" + (++n));
            d.put("patn_id", e.patientId());
            d.put("mdtrt_id", e.encounterId());
            d.put("rx_id", lineId);
            d.put("vola_item_type", "1");
            d.put("vola_amt", line == null || line.amount() == null ? BigDecimal.ZERO : line.amount());
        }
        return r;
    }

    private static ObjectNode ok(ObjectNode output, String refTime) {
        ObjectNode env = envelope(0, "", refTime);
        env.set("output", output);
        return env;
    }

    private static ObjectNode error(String message, String refTime) {
        ObjectNode env = envelope(-1, message, refTime);
        env.putObject("output");
        return env;
    }

    private static ObjectNode envelope(int infcode, String err, String refTime) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        String now = LocalDateTime.now().format(TIME);
        env.put("infcode", infcode);
        env.put("inf_refmsgid", "PA" + now);
        env.put("refmsg_time", refTime);
        env.put("respond_time", now);
        env.put("err_msg", err);
        return env;
    }
}
