package com.preaudit.platform;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed openapi/openapi.yaml must be the spec the code generates. To refresh it after an
 * API change: {@code mvn -B verify -Dtest=OpenApiDriftTest -Dpreaudit.openapi.update=true}.
 */
@QuarkusTest
class OpenApiDriftTest {

    private static final Path COMMITTED = Path.of("openapi", "openapi.yaml");

    @Test
    void committedSpecMatchesTheCode() throws IOException {
        String generated = given().accept("application/yaml").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        if (Boolean.getBoolean("preaudit.openapi.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(COMMITTED), "openapi/openapi.yaml is missing; regenerate it with -Dpreaudit.openapi.update=true");
        String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
        assertEquals(committed.strip(), generated.strip(),
                "openapi/openapi.yaml differs from the code; regenerate it with "
                        + "mvn -B verify -Dtest=OpenApiDriftTest -Dpreaudit.openapi.update=true and commit it");
    }

    @Test
    void everyOperationHasASummaryAndEveryRequestBodyAnExample() {
        String json = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        io.restassured.path.json.JsonPath spec = io.restassured.path.json.JsonPath.from(json);
        java.util.Map<String, java.util.Map<String, Object>> paths = spec.getMap("paths");
        assertTrue(paths.size() >= 10);
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                if (!(op.getValue() instanceof java.util.Map<?, ?> operation) || op.getKey().equals("parameters")) {
                    continue;
                }
                assertTrue(operation.get("summary") != null, op.getKey() + " " + path.getKey() + " has no summary");
                Object body = operation.get("requestBody");
                if (body instanceof java.util.Map<?, ?> rb && rb.get("content") instanceof java.util.Map<?, ?> content) {
                    boolean hasExample = content.values().stream().anyMatch(c -> c instanceof java.util.Map<?, ?> m
                            && (m.get("examples") != null || m.get("example") != null
                            || (m.get("schema") instanceof java.util.Map<?, ?> s && "binary".equals(s.get("format")))));
                    assertTrue(hasExample, op.getKey() + " " + path.getKey() + " has a request body without an example");
                }
            }
        }
    }
}
