package com.preaudit.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The OpenAPI document declares the bearer scheme (Swagger UI's "Authorize") and, for every operation
 * under /api/ and /cds-services, that it needs it and which roles may call it (PRODUCT.md §10). An
 * endpoint added without {@code @RolesAllowed} shows up here.
 */
@QuarkusTest
class OpenApiSecurityTest {

    @Test
    void everyProtectedOperationNamesTheBearerSchemeAndItsRoles() {
        JsonPath spec = JsonPath.from(given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString());
        assertEquals("http", spec.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", spec.getString("components.securitySchemes.bearer.scheme"));
        Map<String, Map<String, Object>> paths = spec.getMap("paths");
        List<String> missing = new ArrayList<>();
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/") && !path.getKey().startsWith("/cds-services")) {
                continue;
            }
            for (var op : path.getValue().entrySet()) {
                if (!(op.getValue() instanceof Map<?, ?> operation) || op.getKey().equals("parameters")) {
                    continue;
                }
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                Object security = operation.get("security");
                if (!(security instanceof List<?> list) || list.stream().noneMatch(r -> r instanceof Map<?, ?> m && m.containsKey("bearer"))) {
                    missing.add(name + ": no bearer security requirement");
                }
                Object description = operation.get("description");
                if (!(description instanceof String d) || !d.startsWith("Roles: ") || !d.contains("admin")) {
                    missing.add(name + ": no roles in the description");
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
