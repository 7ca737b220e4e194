package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * The round-two clinical request fields (dose, frequency, route, doctor title / antibiotic privilege, fee category,
 * pregnancy, procedures): each wrong type and each impossible value is a 4xx naming the field, and a valid request
 * carrying all of them is audited.
 */
@QuarkusTest
class ClinicalFieldsApiTest {

    /** A valid request; {@code $LINE}, {@code $ENC} and {@code $PAT} are replaced by extra JSON members. */
    private static final String BODY = """
            {"stage": "PRE_ORDER", "scenario": "INPATIENT",
             "patient": {"id": "cf1", "gender": "F", "birthDate": "1980-01-01", "insuranceType": "EMPLOYEE"$PAT},
             "encounter": {"id": "e1", "diagnoses": [{"code": "I10.x00", "primary": true}]$ENC},
             "lines": [{"id": "l1", "itemCode": "XC10BAY348A001010100177", "itemType": "DRUG", "quantity": 1$LINE}]}""";

    private static String body(String line, String enc, String pat) {
        return BODY.replace("$LINE", line).replace("$ENC", enc).replace("$PAT", pat);
    }

    private static void refused(String body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/api/v1/audits")
                .then().statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500)))
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    private static void line(String member, String field) {
        refused(body(", " + member, "", ""), "/lines/0/" + field);
    }

    @Test
    void aRequestWithEveryClinicalFieldIsAudited() {
        String b = body(", \"dose\": 20, \"doseUnit\": \"mg\", \"frequency\": \"QN\", \"timesPerDay\": 1, \"route\": \"PO\","
                        + " \"doctorTitle\": \"ATTENDING\", \"antibioticLevel\": 2, \"feeCategory\": \"EMPLOYEE\"",
                ", \"procedures\": [{\"code\": \"36.0601\", \"name\": \"冠状动脉支架置入\", \"at\": \"2025-06-13T10:00:00\", \"primary\": true}],"
                        + " \"doctorTitle\": \"CHIEF\", \"antibioticLevel\": 3",
                ", \"pregnancy\": \"LACTATING\"");
        given().contentType(ContentType.JSON).body(b).post("/api/v1/audits").then().statusCode(200);
    }

    @Test
    void doseMustBeAPositiveNumberWithAUnit() {
        line("\"dose\": \"twenty\", \"doseUnit\": \"mg\"", "dose");
        line("\"dose\": 0, \"doseUnit\": \"mg\"", "dose");
        line("\"dose\": -5, \"doseUnit\": \"mg\"", "dose");
        line("\"dose\": 20", "doseUnit");
        line("\"dose\": 20, \"doseUnit\": \"\"", "doseUnit");
        line("\"doseUnit\": [\"mg\"]", "doseUnit");
    }

    @Test
    void frequencyAndTimesPerDay() {
        line("\"frequency\": [\"BID\"]", "frequency");
        line("\"frequency\": \"\"", "frequency");
        line("\"timesPerDay\": \"often\"", "timesPerDay");
        line("\"timesPerDay\": 0", "timesPerDay");
        line("\"timesPerDay\": 100", "timesPerDay");
    }

    @Test
    void route() {
        line("\"route\": {\"code\": \"PO\"}", "route");
        line("\"route\": \" \"", "route");
    }

    @Test
    void doctorTitleAndAntibioticLevelOnTheLineAndTheEncounter() {
        line("\"doctorTitle\": \"PROFESSOR\"", "doctorTitle");
        line("\"doctorTitle\": [\"CHIEF\"]", "doctorTitle");
        line("\"antibioticLevel\": \"special\"", "antibioticLevel");
        line("\"antibioticLevel\": 4", "antibioticLevel");
        line("\"antibioticLevel\": 0", "antibioticLevel");
        refused(body("", ", \"doctorTitle\": \"INTERN\"", ""), "/encounter/doctorTitle");
        refused(body("", ", \"antibioticLevel\": 9", ""), "/encounter/antibioticLevel");
        refused(body("", ", \"antibioticLevel\": \"x\"", ""), "/encounter/antibioticLevel");
        given().contentType(ContentType.JSON).body(body("", ", \"doctorTitle\": \"INTERN\"", "")).post("/api/v1/audits")
                .then().body("errors.find { it.field == '/encounter/doctorTitle' }.message", containsString("ASSOCIATE_CHIEF"));
    }

    @Test
    void feeCategoryIsAnInsuranceType() {
        line("\"feeCategory\": \"VIP\"", "feeCategory");
        line("\"feeCategory\": [\"EMPLOYEE\"]", "feeCategory");
    }

    @Test
    void pregnancyIsNonePregnantOrLactatingAndNeverForAMan() {
        refused(body("", "", ", \"pregnancy\": \"MAYBE\""), "/patient/pregnancy");
        refused(body("", "", ", \"pregnancy\": {\"weeks\": 12}"), "/patient/pregnancy");
        refused(body("", "", ", \"pregnancy\": \"PREGNANT\"").replace("\"gender\": \"F\"", "\"gender\": \"M\""),
                "/patient/pregnancy");
    }

    @Test
    void proceduresNeedACodeAndValidTimes() {
        refused(body("", ", \"procedures\": \"appendectomy\"", ""), "/encounter/procedures");
        refused(body("", ", \"procedures\": [{\"name\": \"阑尾切除术\"}]", ""), "/encounter/procedures/0/code");
        refused(body("", ", \"procedures\": [{\"code\": \"47.0901\", \"at\": \"yesterday\"}]", ""), "/encounter/procedures/0/at");
        refused(body("", ", \"procedures\": [null]", ""), "/encounter/procedures/0");
    }

    @Test
    void historyLinesAreCheckedToo() {
        String b = body("", "", "").replace("]}", "], \"history\": [{\"id\": \"h1\", \"itemCode\": \"X\", \"quantity\": 1, \"dose\": -1, \"doseUnit\": \"mg\"}]}");
        refused(b, "/history/0/dose");
        given().contentType(ContentType.JSON).body(body("", "", "")).post("/api/v1/audits")
                .then().statusCode(200).body("findings.ruleCode", not(hasItem("nothing")));
    }
}
