package com.preaudit.interop;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A HIS speaking the national 3101/3102/3103 interfaces gets national-shaped answers unchanged. */
@QuarkusTest
class NhsaApiTest {

    /** Realistic 3101 for an inpatient (住院): several diagnoses with local extension codes, current and history orders. */
    static String inpatient3101(String msgid, String gend) {
        return """
                {"infno": "3101", "msgid": "%s", "mdtrtarea_admvs": "430700", "insuplc_admdvs": "430796",
                 "recer_sys_code": "HIS", "dev_no": "", "dev_safe_info": "", "cainfo": "", "signtype": "", "infver": "V1.0",
                 "opter_type": "1", "opter": "00129", "opter_name": "李医生", "inf_time": "2025-06-14 14:25:52",
                 "fixmedins_code": "H43079600120", "fixmedins_name": "某市人民医院", "sign_no": "",
                 "input": {"data": {"syscode": "HIS", "task_id": "T-%s", "trig_scen": "5", "rule_ids": "",
                   "patient_dtos": [{"patn_id": "1058158", "patn_name": "张三", "gend": "%s", "brdy": "1951-08-27", "poolarea": "430796",
                     "curr_mdtrt_id": "2001668",
                     "fsi_encounter_dtos": [{"mdtrt_id": "2001668", "medins_id": "H43079600120", "medins_name": "某市人民医院",
                       "medins_admdvs": "430796", "medins_type": "1", "medins_lv": "02", "wardarea_codg": "W03", "wardno": "3", "bedno": "12",
                       "adm_date": "2025-05-04 10:59:45", "dscg_date": "", "dscg_main_dise_codg": "", "dscg_main_dise_name": "",
                       "dr_codg": "00129", "adm_dept_codg": "100309", "adm_dept_name": "风湿免疫科", "dscg_dept_codg": "",
                       "med_mdtrt_type": "2", "med_type": "21", "insutype": "390", "matn_stas": "0",
                       "fsi_diagnose_dtos": [
                         {"dise_id": "d1", "inout_dise_type": "1", "maindise_flag": "1", "dias_srt_no": "1", "dise_codg": "M10.001", "dise_name": "痛风性关节炎", "dise_date": "2025-05-04 11:20:00"},
                         {"dise_id": "d2", "inout_dise_type": "1", "maindise_flag": "0", "dias_srt_no": "2", "dise_codg": "I10.x00x002", "dise_name": "高血压2级", "dise_date": "2025-05-04 11:20:00"},
                         {"dise_id": "d3", "inout_dise_type": "1", "maindise_flag": "0", "dias_srt_no": "3", "dise_codg": "E11.900", "dise_name": "2型糖尿病", "dise_date": "2025-05-04 11:20:00"}],
                       "fsi_order_dtos": [
                         {"rx_id": "6301", "rxno": "IP202505040000001", "grpno": "1", "long_drord_flag": "1", "hilist_type": "201", "chrg_type": "02",
                          "drord_bhvr": "0", "hilist_code": "001102000050000", "hilist_name": "住院诊查费", "cnt": 1, "pric": 20, "hilist_pric": 20, "sumamt": 20,
                          "drord_begn_date": "2025-06-13 08:00:00", "drord_stop_date": "", "drord_dept_codg": "100309", "drord_dr_codg": "00129", "curr_drord_flag": "0"},
                         {"rx_id": "6374", "rxno": "IP202506140000022", "grpno": "", "long_drord_flag": "0", "hilist_type": "101", "chrg_type": "09",
                          "drord_bhvr": "0", "hilist_code": "XG02BAZ061Z007010279543", "hilist_name": "左炔诺孕酮宫内节育系统", "hilist_dosform": "宫内节育系统",
                          "cnt": 1, "pric": 1153.00, "hilist_pric": 1153.00, "sumamt": 1153.00, "spec": "52mg", "spec_unt": "个",
                          "drord_begn_date": "2025-06-14 14:25:52", "drord_stop_date": "2025-06-14 14:25:52",
                          "drord_dept_codg": "100309", "drord_dept_name": "风湿免疫科", "drord_dr_codg": "ys01", "drord_dr_name": "王医生", "curr_drord_flag": "1"},
                         {"rx_id": "6375", "rxno": "IP202506140000022", "grpno": "", "long_drord_flag": "0", "hilist_type": "101", "chrg_type": "09",
                          "drord_bhvr": "0", "hilist_code": "XM04AAA000A001010100000", "hilist_name": "别嘌醇片", "cnt": 1, "pric": 12.5, "hilist_pric": 12.5, "sumamt": 12.5,
                          "drord_begn_date": "2025-06-14 14:25:52", "drord_dept_codg": "100309", "drord_dr_codg": "ys01", "curr_drord_flag": "1"}],
                       "fsi_operation_dtos": []}]}]}}}
                """.formatted(msgid, msgid, gend);
    }

    @Test
    void femaleOnlyDrugForAMaleInpatientIsReportedInTheNationalShape() {
        String msgid = "M" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        JsonPath r = given().contentType(ContentType.JSON).body(inpatient3101(msgid, "1")).post("/api/nhsa/3101")
                .then().statusCode(200)
                .body("infcode", equalTo(0)).body("err_msg", equalTo(""))
                .extract().jsonPath();
        Map<String, Object> gender = r.getMap("output.result.find { it.rule_id == 'GZ10000301004000' }");
        assertEquals("药品区分性别使用", gender.get("rule_name"));
        assertEquals("1058158", gender.get("patn_id"));
        assertEquals("2001668", gender.get("mdtrt_id"));
        assertEquals("1", gender.get("sev_deg"));
        assertEquals("1", gender.get("vola_bhvr_type"));
        assertEquals("T-" + msgid, gender.get("task_id"));
        assertEquals(1153.0f, ((Number) gender.get("vola_amt")).floatValue());
        org.hamcrest.MatcherAssert.assertThat((String) gender.get("vola_cont"), containsString("限女性"));
        List<Map<String, Object>> details = r.getList("output.result.find { it.rule_id == 'GZ10000301004000' }.judge_result_detail_dtos");
        assertEquals(1, details.size());
        assertEquals("6374", details.get(0).get("rx_id"));
        assertEquals("1", details.get(0).get("vola_item_type"));
        // history order 6301 (curr_drord_flag 0) is never reported as a current breach
        assertFalse(r.getList("output.result.judge_result_detail_dtos.flatten().rx_id").contains("6301"));
    }

    @Test
    void anIndicationThatCodesCannotDecideIsSevDeg2() {
        // 阿瑞匹坦注射液: its knowledge point names no diagnosis codes (限放化疗), so only a reminder to confirm
        String body = inpatient3101("IND" + UUID.randomUUID().toString().substring(0, 8), "2")
                .replace("\"hilist_code\": \"XM04AAA000A001010100000\", \"hilist_name\": \"别嘌醇片\"",
                        "\"hilist_code\": \"XA04ADA285B002010102180\", \"hilist_name\": \"阿瑞匹坦注射液\"");
        given().contentType(ContentType.JSON).body(body).post("/api/nhsa/3101").then().statusCode(200)
                .body("output.result.find { it.rule_id == 'GZ10000101008000' }.sev_deg", equalTo("2"));
    }

    @Test
    void anExemptedPatientIsToldOfTheExemptionInsteadOfABlock() {
        String patient = "NHSA-EX-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("patientId", patient, "ruleCode", "GZ10000301004000",
                        "itemCode", "XG02BAZ061Z007010279543", "validFrom", java.time.LocalDate.now().toString(),
                        "validTo", java.time.LocalDate.now().plusDays(7).toString(), "reason", "医保办审批", "approvalNo", "YB-NHSA-1"))
                .post("/api/v1/exemptions").then().statusCode(201);
        String body = inpatient3101("EX" + UUID.randomUUID().toString().substring(0, 8), "1").replace("\"patn_id\": \"1058158\"",
                "\"patn_id\": \"" + patient + "\"");
        JsonPath r = given().contentType(ContentType.JSON).body(body).post("/api/nhsa/3101").then().statusCode(200)
                .body("infcode", equalTo(0)).extract().jsonPath();
        Map<String, Object> gender = r.getMap("output.result.find { it.rule_id == 'GZ10000301004000' }");
        assertEquals("3", gender.get("vola_bhvr_type"), String.valueOf(gender));
        assertEquals("3", gender.get("sev_deg"));
        org.hamcrest.MatcherAssert.assertThat((String) gender.get("vola_cont"), containsString("已特批/备案，批准文号YB-NHSA-1"));
    }

    @Test
    void theSameOrderForAFemalePatientHasNoGenderFinding() {
        given().contentType(ContentType.JSON).body(inpatient3101("F" + UUID.randomUUID().toString().substring(0, 8), "2"))
                .post("/api/nhsa").then().statusCode(200).body("infcode", equalTo(0))
                .body("output.result.rule_id", not(hasItem("GZ10000301004000")));
    }

    @Test
    void ruleIdsRestrictTheRules() {
        String body = inpatient3101("R" + UUID.randomUUID().toString().substring(0, 8), "1").replace("\"rule_ids\": \"\"", "\"rule_ids\": \"LOCAL-AMOUNT\"");
        given().contentType(ContentType.JSON).body(body).post("/api/nhsa/3101").then().statusCode(200)
                .body("infcode", equalTo(0)).body("output.result.rule_id", not(hasItem("GZ10000301004000")));
    }

    @Test
    void badEnvelopesAnswerInfcodeMinusOneWithHttp200() {
        given().contentType(ContentType.JSON).body("{not json").post("/api/nhsa").then().statusCode(200)
                .body("infcode", equalTo(-1)).body("err_msg", notNullValue());
        given().contentType(ContentType.JSON).body("{\"infno\": \"9999\", \"input\": {\"data\": {}}}").post("/api/nhsa").then().statusCode(200)
                .body("infcode", equalTo(-1)).body("err_msg", containsString("9999"));
        given().contentType(ContentType.JSON).body("{\"infno\": \"3101\", \"input\": {\"data\": {\"patient_dtos\": []}}}").post("/api/nhsa")
                .then().statusCode(200).body("infcode", equalTo(-1)).body("err_msg", containsString("patient_dtos"));
        String noBirth = inpatient3101("B1", "1").replace("\"brdy\": \"1951-08-27\"", "\"brdy\": \"27/08/1951\"");
        given().contentType(ContentType.JSON).body(noBirth).post("/api/nhsa/3101").then().statusCode(200)
                .body("infcode", equalTo(-1)).body("err_msg", containsString("brdy"))
                .body("err_msg", not(containsString("Exception")));
        given().contentType(ContentType.JSON).body(inpatient3101("B2", "1")).post("/api/nhsa/3102").then().statusCode(200)
                .body("infcode", equalTo(-1)).body("err_msg", containsString("3101"));
    }

    @Test
    void feedback3103RecordsDispositions() {
        JsonPath r = given().contentType(ContentType.JSON).body(inpatient3101("FB" + UUID.randomUUID().toString().substring(0, 8), "1"))
                .post("/api/nhsa/3101").then().statusCode(200).extract().jsonPath();
        String jrId = r.getString("output.result.find { it.rule_id == 'GZ10000301004000' }.jr_id");
        String noReason = """
                {"infno": "3103", "msgid": "x", "input": {"data": {"warn_type": "1", "warns": [{"warn_rslt_id": "%s", "dspo_way": "1", "dspo_way_rea": ""}]}}}
                """.formatted(jrId);
        given().contentType(ContentType.JSON).body(noReason).post("/api/nhsa/3103").then().statusCode(200)
                .body("infcode", equalTo(-1)).body("err_msg", containsString("dspo_way_rea"));
        String ok = """
                {"infno": "3103", "msgid": "x", "opter": "00129", "input": {"data": {"warn_type": "1",
                  "warns": [{"warn_rslt_id": "%s", "dspo_way": "1", "dspo_way_rea": "患者已签署自费知情同意书"}]}}}
                """.formatted(jrId);
        given().contentType(ContentType.JSON).body(ok).post("/api/nhsa").then().statusCode(200).body("infcode", equalTo(0));
        String unknown = ok.replace(jrId, UUID.randomUUID().toString());
        given().contentType(ContentType.JSON).body(unknown).post("/api/nhsa/3103").then().statusCode(200).body("infcode", equalTo(-1));
    }
}
