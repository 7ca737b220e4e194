package com.preaudit.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Credentials other than the default admin token, minted through the API as a user would. */
public final class Tokens {

    private Tokens() {
    }

    /** Mints a token with the given roles (as the test admin) and returns its value. */
    public static String mint(String subject, String... roles) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("subject", subject, "roles", List.of(roles)))
                .post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
    }

    /** A request carrying this token instead of the default admin one. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A request carrying a freshly minted token of these roles. */
    public static RequestSpecification withRoles(String subject, String... roles) {
        return as(mint(subject, roles));
    }

    /** A request without any credential (the default admin header is not added). */
    public static RequestSpecification anonymous() {
        return given().noFilters();
    }
}
