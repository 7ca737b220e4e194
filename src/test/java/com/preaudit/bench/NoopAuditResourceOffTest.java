package com.preaudit.bench;

import com.preaudit.audit.AuditResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The ordinary build has no benchmark endpoint: its class lives in src/bench/http and only the
 * http-bench profile compiles it. Fails if it creeps back into src/main.
 */
@QuarkusTest
class NoopAuditResourceOffTest {

    @Test
    void theOrdinaryBuildHasNoBenchmarkEndpoint() {
        given().contentType(ContentType.JSON).body(AuditResource.REQUEST_EXAMPLE).post("/api/v1/bench/noop-audits")
                .then().statusCode(404);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.preaudit.bench.NoopAuditResource"));
    }
}
