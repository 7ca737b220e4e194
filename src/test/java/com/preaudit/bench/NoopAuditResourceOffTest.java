package com.preaudit.bench;

import com.preaudit.audit.AuditResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/** With the default configuration the benchmark endpoint does not exist for clients. */
@QuarkusTest
class NoopAuditResourceOffTest {

    @Test
    void offByDefault() {
        given().contentType(ContentType.JSON).body(AuditResource.REQUEST_EXAMPLE).post("/api/v1/bench/noop-audits")
                .then().statusCode(404);
    }
}
