package com.preaudit.bench;

import com.preaudit.audit.AuditResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The benchmark floor endpoint, in the build bench/http-load.sh makes:
 * {@code mvn -B -Phttp-bench test -Dtest=NoopAuditResourceTest}.
 */
@QuarkusTest
class NoopAuditResourceTest {

    private static final String TWO_LINES = AuditResource.REQUEST_EXAMPLE.replace("\"history\": []",
            "\"history\": []").replace("\"lines\": [{\"id\": \"6374\"",
            "\"lines\": [{\"id\": \"extra\", \"itemCode\": \"003402000050000\", \"quantity\": 1}, {\"id\": \"6374\"");

    @Test
    void parsesThePayloadAndCountsTheLines() {
        given().contentType(ContentType.JSON).body(AuditResource.REQUEST_EXAMPLE).post("/api/v1/bench/noop-audits")
                .then().statusCode(200).contentType(ContentType.JSON).body("lines", equalTo(1));
        given().contentType(ContentType.JSON).body(TWO_LINES).post("/api/v1/bench/noop-audits")
                .then().statusCode(200).body("lines", equalTo(2));
    }

    @Test
    void badJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"stage\": \"PRE_ORDER\", \"lines\": [").post("/api/v1/bench/noop-audits")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
    }

    @Test
    void invalidRequestIsValidatedLikeAnAudit() {
        given().contentType(ContentType.JSON).body("{\"stage\": \"PRE_ORDER\", \"patient\": {\"id\": \"p\", \"gender\": \"M\"}, \"lines\": []}")
                .post("/api/v1/bench/noop-audits")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("/patient/birthDate"))
                .body("errors.field", hasItem("/lines"));
    }

    @Test
    void itIsNotInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/bench/noop-audits'", org.hamcrest.Matchers.nullValue());
    }
}
