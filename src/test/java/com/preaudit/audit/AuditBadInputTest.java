package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.LocalDate;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Posts the example order with {@code value} replacing {@code original} and asserts the answer: {@code status},
     * problem+json, naming {@code field}.
     */
    private static ValidatableResponse refused(String original, String value, int status, String field) {
        String order = order();
        assertTrue(order.contains(original), () -> "the example order has no " + original);
        return given().contentType(ContentType.JSON).body(order.replace(original, value)).post("/api/v1/audits").then()
                .statusCode(status).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    /**
     * One bad value each: the text of the example order it replaces, the value, the status of the refusal, the field it
     * must name and, where the answer must explain the expected form, a fragment of the message (else null).
     */
    static Stream<Arguments> badValues() {
        String tomorrow = LocalDate.now().plusDays(2).toString();
        return Stream.of(
                // a number where a date is expected
                Arguments.of("\"birthDate\": \"1951-08-27\"", "\"birthDate\": 19510827", 400, "/patient/birthDate", "yyyy-MM-dd"),
                Arguments.of("\"orderedAt\": \"2025-06-14T14:25:52\"", "\"orderedAt\": 1749882352", 400, "/lines/0/orderedAt", null),
                // a number or boolean where text is expected
                Arguments.of("\"itemCode\": \"XG02BAZ061Z007010279543\"", "\"itemCode\": 12345", 400, "/lines/0/itemCode", "string"),
                Arguments.of("\"id\": \"1058158\"", "\"id\": true", 400, "/patient/id", null),
                // text where a number or boolean is expected
                Arguments.of("\"quantity\": 1,", "\"quantity\": \"1\",", 400, "/lines/0/quantity", "number"),
                Arguments.of("\"dischargeMedication\": false", "\"dischargeMedication\": \"no\"", 400, "/lines/0/dischargeMedication", null),
                // dates that cannot be true
                Arguments.of("\"birthDate\": \"1951-08-27\"", "\"birthDate\": \"" + tomorrow + "\"", 422, "/patient/birthDate", null),
                Arguments.of("\"dischargedAt\": null", "\"dischargedAt\": \"2025-05-01T09:00:00\"", 422, "/encounter/dischargedAt", null),
                Arguments.of("\"admittedAt\": \"2025-05-04T10:59:45\"", "\"admittedAt\": \"1950-01-01T10:00:00\"", 422, "/encounter/admittedAt", null),
                Arguments.of("\"orderedAt\": \"2025-06-14T14:25:52\"", "\"orderedAt\": \"1949-06-14T14:25:52\"", 422, "/lines/0/orderedAt", null),
                Arguments.of("\"birthDate\": \"1951-08-27\"", "\"birthDate\": \"1951-02-30\"", 400, "/patient/birthDate", null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void aValueOfTheWrongTypeOrADateThatCannotBeTrueIsRefusedNamingTheField(String original, String value, int status, String field,
                                                                           String message) {
        ValidatableResponse answer = refused(original, value, status, field);
        if (message != null) {
            answer.body("errors.message", hasItem(containsString(message)));
        }
    }

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
        refused("\"stage\": \"PRE_ORDER\"", "\"stage\": \"X\"", 400, "/stage")
                .body("detail", allOf(containsString("/stage"), containsString("PRE_ORDER")))
                .body("errors.message", hasItem(allOf(containsString("PRE_ORDER"), containsString("PRE_CHARGE"), containsString("PRE_SETTLEMENT"))));
        refused("\"scenario\": \"INPATIENT\"", "\"scenario\": \"WARD\"", 400, "/scenario")
                .body("errors.message", hasItem(containsString("OUTPATIENT")));
    }
}
