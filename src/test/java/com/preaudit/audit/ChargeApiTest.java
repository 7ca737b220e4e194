package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.line;
import static com.preaudit.support.HistoryFixtures.postCharges;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class ChargeApiTest {

    private static final LocalDateTime DAY1 = LocalDate.now().minusDays(2).atTime(8, 0);

    private static String patient() {
        return "P-CHG-" + UUID.randomUUID();
    }

    @Test
    void postingIsIdempotentByPatientAndLineId() {
        String p = patient();
        postCharges(p, "E1", List.of(line("c1", "001102000050000", 1, DAY1), line("c2", "003101000140000", 16, DAY1.plusHours(1))))
                .then().statusCode(200).body("recorded", equalTo(2)).body("alreadyRecorded", equalTo(0));
        // a retry after a timeout, plus one new line: nothing is doubled
        postCharges(p, "E1", List.of(line("c1", "001102000050000", 1, DAY1), line("c2", "003101000140000", 16, DAY1.plusHours(1)),
                line("c3", "001102000050000", 1, DAY1.plusDays(1))))
                .then().statusCode(200).body("recorded", equalTo(1)).body("alreadyRecorded", equalTo(2));
        given().get("/api/v1/charges/" + p + "?from=" + DAY1.toLocalDate() + "&to=" + LocalDate.now()).then().statusCode(200)
                .body("lineId", contains("c1", "c2", "c3"))
                .body("encounterId", contains("E1", "E1", "E1"))
                .body("find { it.lineId == 'c2' }.quantity", equalTo(16))
                .body("refunded", contains(false, false, false));
        // the same line id of another patient is another line
        postCharges(patient(), null, List.of(line("c1", "001102000050000", 1, DAY1))).then().statusCode(200).body("recorded", equalTo(1));
    }

    @Test
    void invalidChargesAreRejectedWithFieldPathsAndStoreNothing() {
        String p = patient();
        Map<String, Object> noCode = line("x2", "001", 1, DAY1);
        noCode.remove("itemCode");
        Map<String, Object> noQuantity = line("x3", "001", 1, DAY1);
        noQuantity.remove("quantity");
        Map<String, Object> badType = line("x4", "001", 1, DAY1);
        badType.put("itemType", "FOOD");
        given().contentType(ContentType.JSON)
                .body(Map.of("patientId", p, "lines", List.of(line("x1", "001", 1, DAY1), noCode, noQuantity, badType, line("x1", "002", 1, DAY1))))
                .post("/api/v1/charges").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("/lines/1/itemCode", "/lines/2/quantity", "/lines/3/itemType", "/lines/4/id"));
        given().get("/api/v1/charges/" + p + "?from=" + DAY1.toLocalDate()).then().statusCode(200).body("$", hasSize(0));

        given().contentType(ContentType.JSON).body(Map.of("lines", List.of(line("x1", "001", 1, DAY1))))
                .post("/api/v1/charges").then().statusCode(422).body("errors.field", contains("/patientId"));
        given().contentType(ContentType.JSON).body(Map.of("patientId", p, "lines", List.of()))
                .post("/api/v1/charges").then().statusCode(422).body("errors.field", contains("/lines"));
        given().contentType(ContentType.JSON).body("{\"patientId\": \"p\", \"lines\": [{\"id\": \"a\", \"itemCode\": \"b\", \"quantity\": \"many\"}]}")
                .post("/api/v1/charges").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{not json").post("/api/v1/charges").then().statusCode(400);
    }

    @Test
    void refundFlagsTheLineAndUnknownLinesAre404() {
        String p = patient();
        postCharges(p, "E1", List.of(line("r1", "001102000050000", 1, DAY1), line("r2", "001102000050000", 1, DAY1.plusDays(1))))
                .then().statusCode(200);
        given().delete("/api/v1/charges/" + p + "/r1").then().statusCode(204);
        given().delete("/api/v1/charges/" + p + "/r1").then().statusCode(204); // twice is harmless
        given().get("/api/v1/charges/" + p + "?from=" + DAY1.toLocalDate()).then().statusCode(200)
                .body("find { it.lineId == 'r1' }.refunded", equalTo(true))
                .body("find { it.lineId == 'r1' }.refundedAt", notNullValue())
                .body("find { it.lineId == 'r2' }.refunded", equalTo(false));
        // re-posting a refunded line does not revive it (idempotent, unchanged)
        postCharges(p, "E1", List.of(line("r1", "001102000050000", 1, DAY1))).then().statusCode(200).body("alreadyRecorded", equalTo(1));
        given().get("/api/v1/charges/" + p + "?from=" + DAY1.toLocalDate()).then()
                .body("find { it.lineId == 'r1' }.refunded", equalTo(true));

        given().delete("/api/v1/charges/" + p + "/nope").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/v1/charges/" + patient() + "/r1").then().statusCode(404);
    }

    @Test
    void listingValidatesItsParameters() {
        given().get("/api/v1/charges/p?from=2025-13-01").then().statusCode(400).body("errors.field", hasItems("from"));
        given().get("/api/v1/charges/p?from=2025-06-02&to=2025-06-01").then().statusCode(400).body("errors.field", hasItems("from"));
        given().get("/api/v1/charges/p?limit=0").then().statusCode(400).body("errors.field", hasItems("limit"));
    }
}
