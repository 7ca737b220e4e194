package com.preaudit.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Runs in a restarted Quarkus against the same database: Quarkus orders @QuarkusTest classes without a
 * profile before those with one, so {@link RestartWritesTest} has run by then.
 */
@QuarkusTest
@TestProfile(RestartReadsTest.Restarted.class)
class RestartReadsTest {

    public static class Restarted implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "restarted";
        }
    }

    @Test
    void catalogChangesSurviveTheRestart() {
        String v = RestartState.read("version");
        assertNotNull(v, "RestartWritesTest must run first");
        int version = Integer.parseInt(v);
        given().get("/api/v1/catalog/versions").then().statusCode(200).body("version", hasItem(version))
                .body("find { it.version == " + version + " }.active", equalTo(true));
        given().get("/api/v1/rules/" + RestartWritesTest.RULE + "?version=" + version).then().statusCode(200);
        given().get("/api/v1/rules/" + RestartWritesTest.RULE).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'catalog' }.data.activeVersion", equalTo(version));
    }
}
