package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * What a new integrator sends by mistake: a value of the wrong JSON type, a date that cannot be
 * true, an enum value that does not exist. Each is refused with a 4xx naming the field (and the
 * allowed values for an enum) instead of being coerced, accepted or answered "not valid JSON".
 */
@QuarkusTest
class AuditBadInputTest {

    private static String order() {
        return AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", "T-BAD-" + UUID.randomUUID());
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/audits").then()
                .contentType("application/problem+json");
    }

    @Test
    void aNumberWhereADateIsExpectedIsRefused() {
        post(order().replace("\"birthDate\": \"1951-08-27\"", "\"birthDate\": 19510827"))
                .statusCode(400).body("errors.field", hasItem("/patient/birthDate"))
                .body("errors.message", hasItem(containsString("yyyy-MM-dd")));
        post(order().replace("\"orderedAt\": \"2025-06-14T14:25:52\"", "\"orderedAt\": 1749882352"))
                .statusCode(400).body("errors.field", hasItem("/lines/0/orderedAt"));
    }

    @Test
    void aNumberOrBooleanWhereTextIsExpectedIsRefused() {
        post(order().replace("\"itemCode\": \"XG02BAZ061Z007010279543\"", "\"itemCode\": 12345"))
                .statusCode(400).body("errors.field", hasItem("/lines/0/itemCode"))
                .body("errors.message", hasItem(containsString("string")));
        post(order().replace("\"id\": \"1058158\"", "\"id\": true"))
                .statusCode(400).body("errors.field", hasItem("/patient/id"));
    }

    @Test
    void textWhereANumberOrBooleanIsExpectedIsRefused() {
        post(order().replace("\"quantity\": 1,", "\"quantity\": \"1\","))
                .statusCode(400).body("errors.field", hasItem("/lines/0/quantity"))
                .body("errors.message", hasItem(containsString("number")));
        post(order().replace("\"dischargeMedication\": false", "\"dischargeMedication\": \"no\""))
                .statusCode(400).body("errors.field", hasItem("/lines/0/dischargeMedication"));
    }

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
        post(order().replace("\"stage\": \"PRE_ORDER\"", "\"stage\": \"X\""))
                .statusCode(400).body("detail", allOf(containsString("/stage"), containsString("PRE_ORDER")))
                .body("errors.field", hasItem("/stage"))
                .body("errors.message", hasItem(allOf(containsString("PRE_ORDER"), containsString("PRE_CHARGE"), containsString("PRE_SETTLEMENT"))));
        post(order().replace("\"scenario\": \"INPATIENT\"", "\"scenario\": \"WARD\""))
                .statusCode(400).body("errors.field", hasItem("/scenario"))
                .body("errors.message", hasItem(containsString("OUTPATIENT")));
    }

    @Test
    void datesThatCannotBeTrueAreRefused() {
        String tomorrow = LocalDate.now().plusDays(2).toString();
        post(order().replace("\"birthDate\": \"1951-08-27\"", "\"birthDate\": \"" + tomorrow + "\""))
                .statusCode(422).body("errors.field", hasItem("/patient/birthDate"));
        post(order().replace("\"dischargedAt\": null", "\"dischargedAt\": \"2025-05-01T09:00:00\""))
                .statusCode(422).body("errors.field", hasItem("/encounter/dischargedAt"));
        post(order().replace("\"admittedAt\": \"2025-05-04T10:59:45\"", "\"admittedAt\": \"1950-01-01T10:00:00\""))
                .statusCode(422).body("errors.field", hasItem("/encounter/admittedAt"));
        post(order().replace("\"orderedAt\": \"2025-06-14T14:25:52\"", "\"orderedAt\": \"1949-06-14T14:25:52\""))
                .statusCode(422).body("errors.field", hasItem("/lines/0/orderedAt"));
        post(order().replace("\"birthDate\": \"1951-08-27\"", "\"birthDate\": \"1951-02-30\""))
                .statusCode(400).body("errors.field", hasItem("/patient/birthDate"));
    }
}
