package com.preaudit.catalog;

import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
public class CatalogApiTest {

    static final String LOCAL_RULE = """
            {"name": "测试：单价超过一万元的耗材", "tier": "MANAGEMENT", "category": "测试", "resultType": "SUSPICIOUS",
             "actions": {"PRE_ORDER": "WARN"}, "scope": "LINE", "itemTypes": ["MATERIAL"],
             "when": "line.unitPrice != null && line.unitPrice > param.limit",
             "message": "@{line.itemName}单价超过@{param.limit}元，请确认",
             "params": {"limit": 10000},
             "tests": [
               {"name": "expensive material fires",
                "request": {"stage": "PRE_ORDER", "patient": {"id": "p", "gender": "F", "birthDate": "1970-01-01"},
                            "lines": [{"id": "m1", "itemCode": "C123", "itemName": "支架", "itemType": "MATERIAL", "quantity": 1, "unitPrice": 12000, "amount": 12000}]},
                "expect": [{"lineIds": ["m1"]}]},
               {"name": "cheap material passes",
                "request": {"stage": "PRE_ORDER", "patient": {"id": "p", "gender": "F", "birthDate": "1970-01-01"},
                            "lines": [{"id": "m1", "itemCode": "C123", "itemName": "纱布", "itemType": "MATERIAL", "quantity": 1, "unitPrice": 12, "amount": 12}]},
                "expect": []}]}""";

    public static String localRule() {
        return LOCAL_RULE;
    }

    @Test
    void firstStartPublishedTheDefaultCatalogAsAnActiveVersion() {
        given().get("/api/v1/catalog/versions").then().statusCode(200)
                .body("version", hasItem(1))
                .body("find { it.version == 1 }.author", equalTo("system"));
        assertTrue(Api.activeVersion() >= 1);
        given().get("/api/v1/rules?version=1").then().statusCode(200)
                .body("code", hasItems("GZ10000301004000", "GZ10000101008000", "LOCAL-AMOUNT"));
        given().get("/api/v1/rules/GZ10000301004000?version=1").then().statusCode(200)
                .body("knowledgeSet", equalTo("drug-gender"))
                .body("actions.PRE_ORDER", equalTo("BLOCK"));
        given().get("/api/v1/knowledge-sets?version=1").then().statusCode(200)
                .body("name", hasItem("drug-gender"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void rulesCanBeFilteredByTextAndTier() {
        given().get("/api/v1/rules?q=性别").then().statusCode(200)
                .body("code", hasItems("GZ10000301004000", "GZ10000302004000"));
        List<String> tiers = given().get("/api/v1/rules?tier=POLICY").then().statusCode(200).extract().path("tier");
        assertTrue(!tiers.isEmpty() && tiers.stream().allMatch("POLICY"::equals));
    }

    @Test
    void ruleIsCreatedReplacedAndDeletedInTheDraftOnly() {
        Api.putRule("TEST-CRUD-1", LOCAL_RULE).then().statusCode(201).body("code", equalTo("TEST-CRUD-1"));
        Api.putRule("TEST-CRUD-1", LOCAL_RULE.replace("测试：单价", "测试：改名单价")).then().statusCode(200)
                .body("name", containsString("改名"));
        given().get("/api/v1/rules/TEST-CRUD-1").then().statusCode(200).body("params.limit", equalTo(10000));
        Integer active = Api.activeVersion();
        given().get("/api/v1/rules/TEST-CRUD-1?version=" + active).then().statusCode(404)
                .contentType("application/problem+json");
        given().delete("/api/v1/rules/TEST-CRUD-1").then().statusCode(204);
        given().get("/api/v1/rules/TEST-CRUD-1").then().statusCode(404);
        given().delete("/api/v1/rules/TEST-CRUD-1").then().statusCode(404);
    }

    @Test
    void hostileOrBrokenRuleIsRejectedWith422AndNotSaved() {
        String hostile = LOCAL_RULE.replace("line.unitPrice != null && line.unitPrice > param.limit",
                "Runtime.getRuntime().exec('touch /tmp/pwned') != null");
        Api.putRule("TEST-BAD-1", hostile).then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors[0].field", containsString("when"))
                .body("errors[0].message", notNullValue());
        given().get("/api/v1/rules/TEST-BAD-1").then().statusCode(404);

        String syntax = LOCAL_RULE.replace("line.unitPrice > param.limit", "line.unitPrice >> > param.limit");
        Api.putRule("TEST-BAD-2", syntax).then().statusCode(422).body("errors.field", hasItem(containsString("when")));

        String unknownSet = LOCAL_RULE.replace("\"scope\": \"LINE\",", "\"knowledgeSet\": \"no-such-set\",");
        Api.putRule("TEST-BAD-3", unknownSet).then().statusCode(422).body("errors.field", hasItem(containsString("knowledgeSet")));
        given().get("/api/v1/rules/TEST-BAD-3").then().statusCode(404);

        given().contentType(ContentType.JSON).body(Map.of("code", "OTHER")).put("/api/v1/rules/TEST-BAD-4")
                .then().statusCode(422).body("errors[0].field", equalTo("/code"));
    }

    @Test
    void malformedJsonIsA400ProblemNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"name\": ").put("/api/v1/rules/TEST-MAL")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", notNullValue());
        given().contentType(ContentType.JSON).body("{\"resultType\": \"MAYBE\"}").put("/api/v1/rules/TEST-MAL")
                .then().statusCode(400).body("errors[0].field", equalTo("/resultType"))
                .body("errors[0].message", containsString("VIOLATION"));
        given().get("/api/v1/rules/TEST-MAL").then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "GET, /api/v1/rules?version=abc, version",
            "GET, /api/v1/knowledge-sets/drug-gender/rows?limit=0, limit",
            "GET, /api/v1/catalog/versions/x/diff/1, a",
            "POST, /api/v1/catalog/versions/-1/activate, n",
            "GET, /api/v1/catalog/export?version=zero, version"})
    void badNumbersInTheUrlAre400NamingTheParameter(String method, String url, String parameter) {
        given().request(method, url).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo(parameter));
    }

    @Test
    void validateReportsProblemsWithoutSaving() {
        given().contentType(ContentType.JSON).body(LOCAL_RULE.replace("\"name\"", "\"code\": \"TEST-VAL\", \"name\""))
                .post("/api/v1/rules/validate").then().statusCode(200).body("valid", equalTo(true));
        given().contentType(ContentType.JSON)
                .body(LOCAL_RULE.replace("line.unitPrice != null && line.unitPrice > param.limit", "System.exit(0)"))
                .post("/api/v1/rules/validate").then().statusCode(200)
                .body("valid", equalTo(false)).body("problems.field", hasItem(containsString("when")));
        given().get("/api/v1/rules/TEST-VAL").then().statusCode(404);
    }

    @Test
    void knowledgeCsvReplacesRowsAndBadCsvChangesNothing() {
        String csv = """
                kp_id,item_codes,item_name,constraint_text,gender
                KP-T-1,XTEST00000000000000001|XTEST00000000000000002,测试药A,"妇科用药，含逗号,和""引号""\",F
                KP-T-2,XTESTPREFIX*,测试药B,前列腺,M
                """;
        Api.putCsv("test-gender", csv).then().statusCode(200)
                .body("name", equalTo("test-gender")).body("rowCount", equalTo(2))
                .body("columns", hasItems("item_codes", "gender"));
        given().get("/api/v1/knowledge-sets").then().statusCode(200).body("name", hasItem("test-gender"));
        given().get("/api/v1/knowledge-sets/test-gender/rows?itemCode=XTEST00000000000000002").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].kpId", equalTo("KP-T-1"))
                .body("[0].values.constraint_text", equalTo("妇科用药，含逗号,和\"引号\""));
        given().get("/api/v1/knowledge-sets/test-gender/rows?itemCode=XTESTPREFIX12345").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].kpId", equalTo("KP-T-2"));
        given().get("/api/v1/knowledge-sets/test-gender/rows?itemCode=XNOPE").then().statusCode(200).body("size()", equalTo(0));

        String bad = """
                kp_id,item_codes,item_name,gender
                KP-B-1,,没有编码,F
                KP-B-2,XA|XB,列数不对
                """;
        Api.putCsv("test-gender", bad).then().statusCode(422).contentType("application/problem+json")
                .body("errors.size()", greaterThanOrEqualTo(2))
                .body("errors.field", hasItem(containsString("item_codes")));
        Api.putCsv("test-gender", "item_name,gender\nx,F\n").then().statusCode(422)
                .body("errors[0].message", containsString("item_codes"));
        given().get("/api/v1/knowledge-sets/test-gender/rows").then().statusCode(200).body("size()", equalTo(2));

        given().contentType(ContentType.JSON)
                .body(Map.of("rows", List.of(Map.of("kp_id", "KP-J-1", "item_codes", List.of("XJ1", "XJ2"), "gender", "F"))))
                .put("/api/v1/knowledge-sets/test-gender-json").then().statusCode(200).body("rowCount", equalTo(1));
        given().get("/api/v1/knowledge-sets/test-gender-json/rows?itemCode=XJ2").then().statusCode(200)
                .body("[0].itemCodes", equalTo(List.of("XJ1", "XJ2")));
        given().delete("/api/v1/knowledge-sets/test-gender-json").then().statusCode(204);
        given().delete("/api/v1/knowledge-sets/test-gender").then().statusCode(204);
        given().get("/api/v1/knowledge-sets/test-gender/rows").then().statusCode(404);
    }

    @Test
    void staleBasedOnIs409AndActivePublishCreatesTheNextVersion() {
        Integer active = Api.activeVersion();
        given().contentType(ContentType.JSON).body(Map.of("note", "stale", "basedOn", active + 100))
                .post("/api/v1/catalog/versions").then().statusCode(409).contentType("application/problem+json");
        given().get("/api/v1/catalog/versions").then().body("version.max()", equalTo(maxVersion()));

        Api.putRule("TEST-PUB-1", LOCAL_RULE).then().statusCode(201);
        try {
            int v = Api.publish("adds TEST-PUB-1");
            assertEquals(maxVersion(), v);
            assertEquals(v, Api.activeVersion());
            given().get("/api/v1/rules/TEST-PUB-1?version=" + v).then().statusCode(200);
            given().get("/api/v1/catalog/versions").then()
                    .body("find { it.version == " + v + " }.note", equalTo("adds TEST-PUB-1"))
                    .body("find { it.version == " + v + " }.basedOn", equalTo(active));
            given().get("/api/v1/catalog/versions/" + active + "/diff/" + v).then().statusCode(200)
                    .body("rules.added", hasItem("TEST-PUB-1"));
            // the same basedOn a second time is now stale: the other author's publish must not be overwritten
            given().contentType(ContentType.JSON).body(Map.of("note", "late", "basedOn", active))
                    .post("/api/v1/catalog/versions").then().statusCode(409);
        } finally {
            given().delete("/api/v1/rules/TEST-PUB-1").then().statusCode(204);
        }
    }

    @Test
    void failingRuleTestBlocksPublishWith422NamingRuleAndTest() {
        String wrong = LOCAL_RULE.replace("\"expect\": []", "\"expect\": [{\"lineIds\": [\"m1\"]}]");
        Api.putRule("TEST-FAILS", wrong).then().statusCode(201);
        try {
            int before = maxVersion();
            given().contentType(ContentType.JSON).body(Map.of("note", "should fail", "basedOn", Api.activeVersion()))
                    .post("/api/v1/catalog/versions").then().statusCode(422)
                    .body("errors[0].field", containsString("TEST-FAILS"))
                    .body("errors[0].field", containsString("cheap material passes"));
            assertEquals(before, maxVersion());
        } finally {
            given().delete("/api/v1/rules/TEST-FAILS").then().statusCode(204);
        }
    }

    @Test
    void activatingAnOlderVersionRollsBackAndRollsForward() {
        Api.putRule("TEST-ROLL", LOCAL_RULE).then().statusCode(201);
        int withRule;
        try {
            withRule = Api.publish("with TEST-ROLL");
        } finally {
            given().delete("/api/v1/rules/TEST-ROLL").then().statusCode(204);
        }
        int without = Api.publish("without TEST-ROLL");
        assertEquals(without, Api.activeVersion());
        given().get("/q/health/ready").then().body("checks.find { it.name == 'catalog' }.data.activeVersion", equalTo(without));

        given().post("/api/v1/catalog/versions/" + withRule + "/activate").then().statusCode(200)
                .body("version", equalTo(withRule)).body("active", equalTo(true));
        assertEquals(withRule, Api.activeVersion());
        given().get("/q/health/ready").then().body("checks.find { it.name == 'catalog' }.data.activeVersion", equalTo(withRule));

        given().post("/api/v1/catalog/versions/" + without + "/activate").then().statusCode(200);
        assertEquals(without, Api.activeVersion());
        given().post("/api/v1/catalog/versions/99999/activate").then().statusCode(404);
        given().get("/api/v1/catalog/versions/" + withRule + "/diff/" + without).then().statusCode(200)
                .body("rules.removed", equalTo(List.of("TEST-ROLL")));
    }

    @Test
    void exportThenImportGivesAnIdenticalCatalog() {
        Integer active = Api.activeVersion();
        byte[] exported = given().get("/api/v1/catalog/export?version=" + active).then().statusCode(200)
                .contentType("application/gzip").extract().asByteArray();
        // scribble on the draft, then import: the draft must come back to exactly the exported version
        Api.putRule("TEST-SCRIBBLE", LOCAL_RULE).then().statusCode(201);
        given().contentType("application/gzip").body(exported).post("/api/v1/catalog/import").then().statusCode(200)
                .body("rules", greaterThanOrEqualTo(30));
        given().get("/api/v1/rules/TEST-SCRIBBLE").then().statusCode(404);
        int reimported = Api.publish("re-import of " + active);
        given().get("/api/v1/catalog/versions/" + active + "/diff/" + reimported).then().statusCode(200)
                .body("rules.added.size()", equalTo(0)).body("rules.removed.size()", equalTo(0))
                .body("rules.changed.size()", equalTo(0)).body("knowledgeSets.size()", equalTo(0));
        byte[] again = given().get("/api/v1/catalog/export?version=" + reimported).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(exported, again);
    }

    @Test
    void brokenArchiveIsRejectedAndTheDraftKept() {
        int before = given().get("/api/v1/rules").then().extract().path("size()");
        given().contentType("application/gzip").body(new byte[] {1, 2, 3}).post("/api/v1/catalog/import")
                .then().statusCode(400).contentType("application/problem+json");
        byte[] archive = TarGz.of(Map.of(
                "rules-catalog/catalog.yaml", "name: broken\n",
                "rules-catalog/rules/X1.yaml", "code: X1\nname: x\nresultType: VIOLATION\nactions: {PRE_ORDER: BLOCK}\nwhen: \"System.exit(0)\"\nmessage: x\n",
                "rules-catalog/knowledge/k.csv", "item_name\nfoo\n"));
        given().contentType("application/gzip").body(archive).post("/api/v1/catalog/import")
                .then().statusCode(422).body("errors.field", hasItem(containsString("knowledge/k.csv")));
        assertEquals(before, (int) given().get("/api/v1/rules").then().extract().path("size()"));
        assertNotEquals(0, before);
    }

    private static int maxVersion() {
        List<Integer> versions = given().get("/api/v1/catalog/versions").then().extract().path("version");
        return versions.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
