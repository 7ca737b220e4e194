package com.preaudit.interop;

import com.preaudit.interop.cdshooks.CdsHooksResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The same three mistakes as AuditBadInputTest, through the two standard doors: CDS Hooks answers
 * 400 naming the field of the hook request; NHSA answers its national error envelope (infcode -1)
 * naming the national field. Nothing is read as 0, "unknown" or "missing" in their place.
 */
@QuarkusTest
class InteropBadInputTest {

    private static final String FEMALE_ONLY = "XG02BAZ061Z007010279543";

    private static String hook() {
        return CdsHooksApiTest.withNationalCode(CdsHooksApiTest.SPEC_ORDER_SELECT, FEMALE_ONLY);
    }

    private static io.restassured.response.ValidatableResponse callHook(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/cds-services/" + CdsHooksResource.SELECT_ID).then();
    }

    @Test
    void cdsHooksRefusesAnUnknownGenderNamingTheAllowedValues() {
        callHook(hook().replace("\"gender\": \"male\"", "\"gender\": \"M\"")).statusCode(400)
                .body("errors.field", hasItem("/prefetch/patient/gender"))
                .body("errors.message", hasItem(allOf(containsString("male"), containsString("female"), containsString("unknown"))));
    }

    @Test
    void cdsHooksRefusesABirthDateInTheFutureOrNotText() {
        callHook(hook().replace("\"birthDate\": \"1970-08-05\"", "\"birthDate\": \"" + LocalDate.now().plusDays(3) + "\"")).statusCode(400)
                .body("errors.field", hasItem("/prefetch/patient/birthDate"));
        callHook(hook().replace("\"birthDate\": \"1970-08-05\"", "\"birthDate\": 19700805")).statusCode(400)
                .body("errors.field", hasItem("/prefetch/patient/birthDate"));
    }

    @Test
    void cdsHooksRefusesAQuantityThatIsNotANumber() {
        callHook(hook().replace("\"quantity\": {\"value\": 1,", "\"quantity\": {\"value\": \"one\",")).statusCode(400)
                .body("errors.field", hasItem("/context/draftOrders/entry/1/resource/dispenseRequest/quantity/value"));
    }

    @Test
    void cdsHooksRefusesADateTimeThatIsNotOne() {
        String body = hook().replace("\"intent\": \"order\",", "\"intent\": \"order\", \"authoredOn\": \"yesterday\",");
        callHook(body).statusCode(400).body("errors.field", hasItem("/context/draftOrders/entry/1/resource/authoredOn"));
    }

    private static String nhsa(String gend) {
        return NhsaApiTest.inpatient3101("BAD" + UUID.randomUUID().toString().substring(0, 8), gend);
    }

    private static io.restassured.response.ValidatableResponse call3101(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/nhsa/3101").then().statusCode(200).body("infcode", equalTo(-1));
    }

    @Test
    void nhsaRefusesAnUnknownGenderCode() {
        call3101(nhsa("M")).body("err_msg", allOf(containsString("patient_dtos[0].gend"), containsString("1 男"), containsString("2 女")));
    }

    @Test
    void nhsaRefusesDatesThatCannotBeTrue() {
        call3101(nhsa("1").replace("\"brdy\": \"1951-08-27\"", "\"brdy\": \"" + LocalDate.now().plusDays(3) + "\""))
                .body("err_msg", containsString("patient_dtos[0].brdy"));
        call3101(nhsa("1").replace("\"dscg_date\": \"\"", "\"dscg_date\": \"2025-05-01 08:00:00\""))
                .body("err_msg", containsString("fsi_encounter_dtos[0].dscg_date"));
        call3101(nhsa("1").replace("\"adm_date\": \"2025-05-04 10:59:45\"", "\"adm_date\": \"2025-05-04\u00a010:59\""))
                .body("err_msg", containsString("fsi_encounter_dtos[0].adm_date"));
    }

    @Test
    void nhsaRefusesAnObjectWhereAValueIsExpected() {
        call3101(nhsa("1").replace("\"patn_id\": \"1058158\"", "\"patn_id\": {\"id\": \"1058158\"}"))
                .body("err_msg", containsString("patn_id"))
                .body("err_msg", containsString("must be text or a number"));
    }
}
