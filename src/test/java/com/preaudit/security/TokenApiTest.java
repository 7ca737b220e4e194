package com.preaudit.security;

import com.preaudit.platform.Roles;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PreAudit tokens (PRODUCT.md §10): minted, listed without values, used, revoked; 401/403 as problem+json. */
@QuarkusTest
class TokenApiTest {

    @Test
    void noCredentialIsRefusedWithABearerChallengeAndNoReason() {
        for (String path : List.of("/api/v1/audits/x", "/api/v1/rules", "/api/v1/tokens", "/api/v1/stats/daily", "/cds-services")) {
            Tokens.anonymous().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .contentType("application/problem+json")
                    .body("status", equalTo(401));
        }
    }

    @Test
    void malformedUnknownAndOtherSchemesAllGetTheSameAnswer() {
        String expected = Tokens.anonymous().get("/api/v1/rules").then().statusCode(401).extract().asString();
        for (String header : List.of("Bearer pa_unknown-but-well-formed-123456", "Bearer ", "Basic YWRtaW46YWRtaW4=",
                "bearer", "Token pa_x", "Bearer a.b.c")) {
            String body = given().header("Authorization", header).get("/api/v1/rules").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer").contentType("application/problem+json").extract().asString();
            assertTrue(body.equals(expected), header + " answered differently: " + body);
        }
    }

    @Test
    void openPathsNeedNoCredential() {
        Tokens.anonymous().get("/q/health/ready").then().statusCode(200);
        Tokens.anonymous().get("/q/openapi").then().statusCode(200);
        Tokens.anonymous().get("/q/swagger-ui/").then().statusCode(200);
        Tokens.anonymous().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aMintedTokenWorksIsListedWithoutItsValueAndStopsWorkingWhenRevoked() {
        var minted = given().contentType(ContentType.JSON)
                .body(Map.of("subject", "his-outpatient", "roles", List.of("analyst"), "expiresInDays", 365, "note", "门诊医生站"))
                .post("/api/v1/tokens").then().statusCode(201)
                .body("token", startsWith("pa_"))
                .body("subject", equalTo("his-outpatient"))
                .body("roles", equalTo(List.of("analyst")))
                .body("expiresAt", not(nullValue()))
                .extract();
        String id = minted.path("id");
        String token = minted.path("token");
        Tokens.as(token).get("/api/v1/stats/daily").then().statusCode(200);

        String list = given().get("/api/v1/tokens").then().statusCode(200)
                .body("id", hasItem(id)).extract().asString();
        assertFalse(list.contains(token), "the list shows a token's value");
        assertFalse(list.contains(TokenStore.hash(token)), "the list shows a token's hash");

        given().delete("/api/v1/tokens/" + id).then().statusCode(204);
        Tokens.as(token).get("/api/v1/stats/daily").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().get("/api/v1/tokens").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.active", equalTo(false))
                .body("find { it.id == '" + id + "' }.revokedBy", equalTo("admin"));
        given().delete("/api/v1/tokens/tok_nosuchtoken").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyAnAdminManagesTokens() {
        for (String role : List.of(Roles.AUDIT_CLIENT, Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ANALYST)) {
            var as = Tokens.withRoles("t-" + role, role);
            as.get("/api/v1/tokens").then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        }
        Tokens.withRoles("t-analyst", Roles.ANALYST).contentType(ContentType.JSON)
                .body(Map.of("subject", "x", "roles", List.of("admin"))).post("/api/v1/tokens").then().statusCode(403);
    }

    @Test
    void badMintRequestsNameTheFieldAndListTheRoles() {
        given().contentType(ContentType.JSON).body(Map.of("subject", "", "roles", List.of("auditor"), "expiresInDays", 0))
                .post("/api/v1/tokens").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("/subject"))
                .body("errors.field", hasItem("/roles/0"))
                .body("errors.field", hasItem("/expiresInDays"))
                .body("errors.find { it.field == '/roles/0' }.message", org.hamcrest.Matchers.containsString("audit-client"));
    }
}
