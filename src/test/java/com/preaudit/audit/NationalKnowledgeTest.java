package com.preaudit.audit;

import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Imports every national knowledge file (国家两库 2025) under its own name through the API, publishes,
 * and audits orders that use real national codes. Afterwards the previous version is restored.
 * Skipped, with a message, where ../shared/knowledge is absent.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NationalKnowledgeTest {

    private int previous;
    private byte[] previousArchive;
    private int national;

    /** Quarkus sets RestAssured's port per test method; @BeforeAll/@AfterAll run outside that. */
    private static void useTestPort() {
        io.restassured.RestAssured.port = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
    }

    @BeforeAll
    void importNationalFiles() throws IOException {
        useTestPort();
        Path dir = com.preaudit.support.NationalData.dir();
        previous = Api.activeVersion();
        previousArchive = given().get("/api/v1/catalog/export?version=" + previous).then().statusCode(200).extract().asByteArray();
        int files = 0;
        try (Stream<Path> csvs = Files.list(dir)) {
            for (Path csv : (Iterable<Path>) csvs.filter(p -> p.toString().endsWith(".csv")).sorted()::iterator) {
                String name = csv.getFileName().toString().replace(".csv", "");
                Api.putCsv(name, Files.readString(csv, StandardCharsets.UTF_8)).then().statusCode(200);
                files++;
            }
        }
        assertEquals(21, files);
        long start = System.nanoTime();
        national = Api.publish("国家两库 2025 (test)");
        System.out.printf("national knowledge published as version %d in %d ms%n", national, (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    void restore() {
        if (previousArchive != null) {
            useTestPort();
            given().contentType("application/gzip").body(previousArchive).post("/api/v1/catalog/import").then().statusCode(200);
            given().post("/api/v1/catalog/versions/" + previous + "/activate").then().statusCode(200);
        }
    }

    @Test
    void everyNationalItemCodeIsIndexed() {
        given().get("/api/v1/knowledge-sets?version=" + national).then().statusCode(200)
                .body("find { it.name == 'drug-gender' }.rowCount", equalTo(484))
                .body("find { it.name == 'service-duplicate-charge' }.rowCount", equalTo(900))
                .body("find { it.name == 'drug-indication' }.rowCount", equalTo(510));
        given().get("/api/v1/knowledge-sets/drug-gender/rows?itemCode=XG04CBD247E002010101503&version=" + national)
                .then().statusCode(200).body("[0].values.gender", equalTo("M"));
    }

    @Test
    void nationalGenderDrugForAWomanIsBlocked() {
        // 度他雄胺软胶囊 (dutasteride) is limited to men in the national drug-gender file
        audited("F", "1970-03-01", "XG04CBD247E002010101503", "度他雄胺软胶囊", 3, "OUTPATIENT")
                .body("catalogVersion", equalTo(national))
                .body("findings.ruleCode", hasItem("GZ10000301004000"));
        audited("M", "1970-03-01", "XG04CBD247E002010101503", "度他雄胺软胶囊", 3, "OUTPATIENT")
                .body("findings.ruleCode", not(hasItem("GZ10000301004000")));
    }

    @Test
    void nationalChildOnlyDrugForAnAdultIsFlagged() {
        // 小儿百寿丸 is a children's medicine (drug-child-only)
        audited("M", "1980-01-01", "ZA01BAX0341010100166", "小儿百寿丸", 3, "OUTPATIENT").body("findings.ruleCode", hasItem("GZ10000301002000"));
        audited("M", "2020-01-01", "ZA01BAX0341010100166", "小儿百寿丸", 3, "OUTPATIENT").body("findings.ruleCode", not(hasItem("GZ10000301002000")));
    }

    @Test
    void nationalHospitalLevelDrugInAPrimaryHospitalIsFlagged() {
        // 参附注射液: 限二级及以上医疗机构
        audited("M", "1960-01-01", "ZA05CAC0029010102312", "参附注射液", 1, "INPATIENT").body("findings.ruleCode", hasItem("GZ10000101012000"));
        audited("M", "1960-01-01", "ZA05CAC0029010102312", "参附注射液", 2, "INPATIENT").body("findings.ruleCode", not(hasItem("GZ10000101012000")));
    }

    /** Audits one order of this drug (answered 200) for the assertions on the answer. */
    private static ValidatableResponse audited(String gender, String birthDate, String code, String name, int level, String scenario) {
        return given().contentType(ContentType.JSON).body(audit(gender, birthDate, code, name, level, scenario))
                .post("/api/v1/audits").then().statusCode(200);
    }

    private static Map<String, Object> audit(String gender, String birthDate, String code, String name, int level, String scenario) {
        return Map.of(
                "stage", "PRE_ORDER", "scenario", scenario,
                "hospital", Map.of("id", "H1", "level", level),
                "patient", Map.of("id", "NAT-" + gender + birthDate, "gender", gender, "birthDate", birthDate, "insuranceType", "EMPLOYEE"),
                "encounter", Map.of("id", "E-NAT", "departmentCode", "0301", "doctorId", "D1",
                        "diagnoses", List.of(Map.of("code", "N40.x00", "name", "前列腺增生", "primary", true))),
                "lines", List.of(Map.of("id", "n1", "itemCode", code, "itemName", name, "itemType", "DRUG",
                        "quantity", 1, "unitPrice", 50, "amount", 50, "orderedAt", "2026-06-01T09:00:00", "days", 3)));
    }
}
