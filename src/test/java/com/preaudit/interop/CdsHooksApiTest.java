package com.preaudit.interop;

import com.preaudit.interop.cdshooks.CdsHooksResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CDS Hooks 2.0, driven with the specification's own example payloads. */
@QuarkusTest
class CdsHooksApiTest {

    /** The R4 order-select example of the CDS Hooks specification (NutritionOrder + MedicationRequest), with prefetch. */
    static final String SPEC_ORDER_SELECT = """
            {"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "hook": "order-select",
             "context": {"userId": "PractitionerRole/123", "patientId": "1288992", "encounterId": "89284",
               "selections": ["NutritionOrder/pureeddiet-simple", "MedicationRequest/smart-MedicationRequest-103"],
               "draftOrders": {"resourceType": "Bundle", "entry": [
                 {"resource": {"resourceType": "NutritionOrder", "id": "pureeddiet-simple", "status": "draft",
                   "patient": {"reference": "Patient/1288992"}, "dateTime": "2014-09-17",
                   "orderer": {"reference": "Practitioner/example", "display": "Dr Adam Careful"},
                   "oralDiet": {"type": [{"coding": [{"system": "http://snomed.info/sct", "code": "226211001", "display": "Pureed diet"}], "text": "Pureed diet"}]}}},
                 {"resource": {"resourceType": "MedicationRequest", "id": "smart-MedicationRequest-103", "status": "draft", "intent": "order",
                   "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "617993",
                     "display": "Amoxicillin 120 MG/ML / clavulanate potassium 8.58 MG/ML Oral Suspension"}],
                     "text": "Amoxicillin 120 MG/ML / clavulanate potassium 8.58 MG/ML Oral Suspension"},
                   "subject": {"reference": "Patient/1288992"},
                   "dosageInstruction": [{"text": "5 mL bid x 10 days", "timing": {"repeat": {"boundsPeriod": {"start": "2005-01-04"}, "frequency": 2, "period": 1, "periodUnit": "d"}}}],
                   "dispenseRequest": {"numberOfRepeatsAllowed": 1, "quantity": {"value": 1, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"},
                     "expectedSupplyDuration": {"value": 10, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d"}}}}]}},
             "prefetch": {"patient": {"resourceType": "Patient", "id": "1288992", "gender": "male", "birthDate": "1970-08-05"}}}
            """;

    /** The same spec request with our national code added to the MedicationRequest's coding. */
    static String withNationalCode(String json, String code) {
        return json.replace("{\"system\": \"http://www.nlm.nih.gov/research/umls/rxnorm\"",
                "{\"system\": \"urn:nhsa:hilist\", \"code\": \"" + code + "\", \"display\": \"左炔诺孕酮宫内节育系统\"}, {\"system\": \"http://www.nlm.nih.gov/research/umls/rxnorm\"");
    }

    @Test
    void discoveryListsOrderSelectAndOrderSign() {
        given().get("/cds-services").then().statusCode(200)
                .body("services.hook", hasItems("order-select", "order-sign"))
                .body("services.id", hasItems(CdsHooksResource.SELECT_ID, CdsHooksResource.SIGN_ID))
                .body("services[0].title", notNullValue()).body("services[0].description", notNullValue())
                .body("services[0].prefetch.patient", equalTo("Patient/{{context.patientId}}"))
                .body("services[0].prefetch.encounter", equalTo("Encounter/{{context.encounterId}}"))
                .body("services[0].prefetch.conditions", containsString("Condition?patient={{context.patientId}}"));
    }

    @Test
    void theSpecExampleWithNoInsuranceCodeGivesNoCards() {
        given().contentType(ContentType.JSON).body(SPEC_ORDER_SELECT).post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(200).body("cards.size()", equalTo(0));
    }

    @Test
    void anExemptedPatientGetsAnInfoCardNamingTheExemptionInsteadOfABlock() {
        String patient = "CDS-EX-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String body = withNationalCode(SPEC_ORDER_SELECT, "XG02BAZ061Z007010279543").replace("1288992", patient);
        given().contentType(ContentType.JSON).body(java.util.Map.of("patientId", patient, "ruleCode", "GZ10000301004000",
                        "itemCode", "XG02BAZ061Z007010279543", "validFrom", java.time.LocalDate.now().toString(),
                        "validTo", java.time.LocalDate.now().plusDays(7).toString(), "reason", "医保办审批", "approvalNo", "YB-CDS-1"))
                .post("/api/v1/exemptions").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body).post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(200)
                .body("cards.size()", equalTo(1))
                .body("cards[0].indicator", equalTo("info"))
                .body("cards[0].detail", containsString("已特批/备案"))
                .body("cards[0].summary", containsString("YB-CDS-1"))
                .body("cards[0].suggestions", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void femaleOnlyDrugSelectedForAManBecomesACriticalCardWithADeleteSuggestion() {
        JsonPath r = given().contentType(ContentType.JSON).body(withNationalCode(SPEC_ORDER_SELECT, "XG02BAZ061Z007010279543"))
                .post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(200)
                .body("cards.size()", equalTo(1))
                .body("cards[0].indicator", equalTo("critical"))
                .body("cards[0].summary.length()", lessThanOrEqualTo(140))
                .body("cards[0].summary", containsString("限女性"))
                .body("cards[0].detail", containsString("依据"))
                .body("cards[0].source.label", notNullValue())
                .body("cards[0].overrideReasons.size()", equalTo(3))
                .body("cards[0].selectionBehavior", equalTo("at-most-one"))
                .body("cards[0].suggestions[0].actions[0].type", equalTo("delete"))
                .body("cards[0].suggestions[0].actions[0].resourceId", equalTo("MedicationRequest/smart-MedicationRequest-103"))
                .extract().jsonPath();
        String uuid = r.getString("cards[0].uuid");
        assertTrue(uuid.matches("[0-9a-f-]{36}"));
        // the card's uuid is the finding id: overriding it is recorded as a disposition of the audit
        String feedback = """
                {"feedback": [{"card": "%s", "outcome": "overridden",
                  "overrideReason": {"reason": {"code": "clinical-need", "system": "urn:preaudit:override-reason", "display": "临床必需，已告知患者"},
                                     "userComment": "患者坚持使用"}, "outcomeTimestamp": "2025-06-14T14:30:00Z"}]}""".formatted(uuid);
        given().contentType(ContentType.JSON).body(feedback).post("/cds-services/" + CdsHooksResource.SELECT_ID + "/feedback")
                .then().statusCode(200);
    }

    @Test
    void orderSelectAuditsOnlyTheSelections() {
        String notSelected = withNationalCode(SPEC_ORDER_SELECT, "XG02BAZ061Z007010279543")
                .replace("\"selections\": [\"NutritionOrder/pureeddiet-simple\", \"MedicationRequest/smart-MedicationRequest-103\"]",
                        "\"selections\": [\"NutritionOrder/pureeddiet-simple\"]");
        given().contentType(ContentType.JSON).body(notSelected).post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(200).body("cards.size()", equalTo(0));
        // order-sign looks at every draft order
        String sign = notSelected.replace("\"hook\": \"order-select\"", "\"hook\": \"order-sign\"");
        given().contentType(ContentType.JSON).body(sign).post("/cds-services/" + CdsHooksResource.SIGN_ID)
                .then().statusCode(200).body("cards.size()", equalTo(1));
    }

    @Test
    void femalePatientGetsNoCard() {
        String female = withNationalCode(SPEC_ORDER_SELECT, "XG02BAZ061Z007010279543").replace("\"gender\": \"male\"", "\"gender\": \"female\"");
        given().contentType(ContentType.JSON).body(female).post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(200).body("cards.size()", equalTo(0));
    }

    @Test
    void missingPatientPrefetchIs412WithAnOperationOutcome() {
        com.fasterxml.jackson.databind.node.ObjectNode request;
        try {
            request = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(SPEC_ORDER_SELECT);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        request.remove("prefetch");
        String noPrefetch = request.toString();
        given().contentType(ContentType.JSON).body(noPrefetch).post("/cds-services/" + CdsHooksResource.SELECT_ID)
                .then().statusCode(412).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"));
    }

    @Test
    void feedbackForAnUnknownCardIs422() {
        given().contentType(ContentType.JSON)
                .body(Map.of("feedback", List.of(Map.of("card", "00000000-0000-4000-8000-000000000000", "outcome", "accepted"))))
                .post("/cds-services/" + CdsHooksResource.SIGN_ID + "/feedback").then().statusCode(422);
        given().contentType(ContentType.JSON).body(Map.of("feedback", List.of(Map.of("card", "x", "outcome", "maybe"))))
                .post("/cds-services/" + CdsHooksResource.SIGN_ID + "/feedback").then().statusCode(422);
        given().get("/cds-services").then().statusCode(200);
    }
}
