package com.preaudit.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Small helpers shared by the API tests. */
public final class Api {

    private Api() {
    }

    public static Integer activeVersion() {
        List<Map<String, Object>> versions = given().get("/api/v1/catalog/versions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return versions.stream().filter(v -> Boolean.TRUE.equals(v.get("active")))
                .map(v -> (Integer) v.get("version")).findFirst().orElse(null);
    }

    /** Publishes the draft based on the active version and returns the new version number. */
    public static int publish(String note) {
        Integer active = activeVersion();
        return given().contentType(ContentType.JSON)
                .body(Map.of("note", note, "basedOn", active == null ? 0 : active, "author", "test"))
                .post("/api/v1/catalog/versions")
                .then().statusCode(201).extract().path("version");
    }

    public static Response putRule(String code, String json) {
        return given().contentType(ContentType.JSON).body(json).put("/api/v1/rules/" + code);
    }

    public static Response putCsv(String set, String csv) {
        return given().contentType("text/csv; charset=UTF-8").body(csv).put("/api/v1/knowledge-sets/" + set);
    }
}
