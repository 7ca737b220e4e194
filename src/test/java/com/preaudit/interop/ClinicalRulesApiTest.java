package com.preaudit.interop;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The clinical request data reaches the default catalog's clinical rules through each API: native, NHSA 3101 and
 * CDS Hooks. Without the data the rule is listed in skipped, never decided.
 */
@QuarkusTest
class ClinicalRulesApiTest {
    private static final String VANCOMYCIN = "XJ01XAW001B001010100453";

    private static String nativeAudit(String encounterExtra) {
        return """
                {"stage": "PRE_ORDER", "scenario": "INPATIENT",
                 "patient": {"id": "cr1", "gender": "M", "birthDate": "1960-05-05", "insuranceType": "EMPLOYEE"},
                 "encounter": {"id": "e1", "diagnoses": [{"code": "J18.900", "primary": true}]%s},
                 "lines": [{"id": "l1", "itemCode": "%s", "itemName": "注射用盐酸万古霉素", "itemType": "DRUG", "quantity": 1}]}"""
                .formatted(encounterExtra, VANCOMYCIN);
    }

    @Test
    void nativeAntibioticTierAgainstTheDoctorsTitleOrSkippedWithoutIt() {
        given().contentType(ContentType.JSON).body(nativeAudit(", \"doctorTitle\": \"RESIDENT\"")).post("/api/v1/audits")
                .then().statusCode(200).body("decision", equalTo("BLOCK"))
                .body("findings.find { it.ruleCode == 'GZ10000202003000' }.message", containsString("特殊使用级"));
        given().contentType(ContentType.JSON).body(nativeAudit(", \"doctorTitle\": \"CHIEF\"")).post("/api/v1/audits")
                .then().statusCode(200).body("findings.ruleCode", not(hasItem("GZ10000202003000")));
        given().contentType(ContentType.JSON).body(nativeAudit("")).post("/api/v1/audits")
                .then().statusCode(200).body("findings.ruleCode", not(hasItem("GZ10000202003000")))
                .body("skipped.find { it.ruleCode == 'GZ10000202003000' }.reason", containsString("antibiotic privilege"));
    }

    private static String nhsa(String gend, String title, String operations) {
        String msgid = "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        return """
                {"infno": "3101", "msgid": "%s", "input": {"data": {"trig_scen": "1",
                  "patient_dtos": [{"patn_id": "p9", "gend": "%s", "brdy": "1960-05-05",
                    "fsi_encounter_dtos": [{"mdtrt_id": "m9", "med_type": "21", "insutype": "310", "matn_stas": "1",
                      "fsi_diagnose_dtos": [{"dise_codg": "D25.900", "dise_name": "子宫平滑肌瘤", "maindise_flag": "1"}],
                      "fsi_operation_dtos": %s,
                      "fsi_order_dtos": [{"rx_id": "o1", "rxno": "R1", "hilist_type": "101", "hilist_code": "%s",
                        "hilist_name": "注射用盐酸万古霉素", "cnt": 1, "curr_drord_flag": "1", "drord_dr_profttl": "%s"}]}]}]}}}"""
                .formatted(msgid, gend, operations, VANCOMYCIN, title);
    }

    @Test
    void nhsaDoctorTitleAndOperationsReachTheRules() {
        given().contentType(ContentType.JSON).body(nhsa("1", "234", "[{\"oprn_code\": \"68.4901\", \"oprn_name\": \"腹腔镜全子宫切除术\"}]"))
                .post("/api/nhsa/3101").then().statusCode(200).body("infcode", equalTo(0))
                .body("output.result.rule_id", hasItem("GZ10000202003000"))
                .body("output.result.rule_id", hasItem("GZ10000201005000"));
        // a 主任医师 may prescribe it; a female patient may have the operation (and 生育状态 1 is accepted for her)
        given().contentType(ContentType.JSON).body(nhsa("2", "231", "[{\"oprn_code\": \"68.4901\", \"oprn_name\": \"腹腔镜全子宫切除术\"}]"))
                .post("/api/nhsa/3101").then().statusCode(200).body("infcode", equalTo(0))
                .body("output.result.rule_id", not(hasItem("GZ10000202003000")))
                .body("output.result.rule_id", not(hasItem("GZ10000201005000")));
    }

    @Test
    void cdsHooksDosageReachesTheLabelDoseRule() {
        String hook = """
                {"hookInstance": "%s", "hook": "order-sign",
                 "context": {"userId": "Practitioner/1", "patientId": "p1", "encounterId": "e1",
                   "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "MedicationRequest", "id": "m1",
                     "status": "draft", "intent": "order",
                     "medicationCodeableConcept": {"coding": [{"system": "urn:nhsa:hilist", "code": "XJ01MAM122B002010101600", "display": "盐酸莫西沙星注射液"}]},
                     "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                       "doseAndRate": [{"doseQuantity": {"value": %s, "unit": "mg"}}]}],
                     "dispenseRequest": {"quantity": {"value": 1}, "expectedSupplyDuration": {"value": 1, "unit": "days"}}}}]}},
                 "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1960-01-01"}}}""";
        given().contentType(ContentType.JSON).body(hook.formatted(UUID.randomUUID(), "800")).post("/cds-services/preaudit-order-sign")
                .then().statusCode(200).body("cards.summary", hasItem(containsString("超说明书用量")));
        given().contentType(ContentType.JSON).body(hook.formatted(UUID.randomUUID(), "400")).post("/cds-services/preaudit-order-sign")
                .then().statusCode(200).body("cards.summary", not(hasItem(containsString("超说明书用量"))));
    }
}
