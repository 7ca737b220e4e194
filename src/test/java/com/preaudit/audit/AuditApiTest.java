package com.preaudit.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native audit API exactly as PRODUCT.md §3.1 describes it. */
@QuarkusTest
class AuditApiTest {

    static String order(String requestId, String gender) {
        return AuditResource.REQUEST_EXAMPLE
                .replace("HIS-20250614-000123", requestId)
                .replace("\"gender\": \"M\"", "\"gender\": \"" + gender + "\"");
    }

    @Test
    void iudForAMaleInpatientIsBlockedWithTheContractFields() {
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M")).post("/api/v1/audits")
                .then().statusCode(200)
                .body("auditId", notNullValue())
                .body("catalogVersion", greaterThanOrEqualTo(1))
                .body("decision", equalTo("BLOCK"))
                .body("degraded", equalTo(false))
                .body("elapsedMicros", greaterThanOrEqualTo(0))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.ruleName", equalTo("药品区分性别使用"))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.resultType", equalTo("VIOLATION"))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.action", equalTo("BLOCK"))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.lineIds", equalTo(java.util.List.of("6374")))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.itemCodes", equalTo(java.util.List.of("XG02BAZ061Z007010279543")))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.message", containsString("限女性"))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.amountAtRisk", equalTo(1153.00f))
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.knowledgePointId", notNullValue())
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.basis", notNullValue())
                .body("findings.find { it.ruleCode == 'GZ10000301004000' }.id", notNullValue());
    }

    @Test
    void theSameIudForAFemalePatientIsNotFlaggedForGender() {
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "F")).post("/api/v1/audits")
                .then().statusCode(200)
                .body("findings.ruleCode", not(hasItem("GZ10000301004000")));
    }

    @Test
    void sameRequestIdReturnsTheStoredAnswer() {
        String id = "T-IDEM-" + UUID.randomUUID();
        String first = given().contentType(ContentType.JSON).body(order(id, "M")).post("/api/v1/audits")
                .then().statusCode(200).extract().path("auditId");
        String second = given().contentType(ContentType.JSON).body(order(id, "M")).post("/api/v1/audits")
                .then().statusCode(200).extract().path("auditId");
        assertEquals(first, second);
        String other = given().contentType(ContentType.JSON).body(order(id + "-b", "M")).post("/api/v1/audits")
                .then().statusCode(200).extract().path("auditId");
        assertNotEquals(first, other);
    }

    @Test
    void storedAuditHasTheRequestDigestAndAnswer() throws Exception {
        String auditId = given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M")).post("/api/v1/audits")
                .then().statusCode(200).extract().path("auditId");
        given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("auditId", equalTo(auditId))
                .body("requestDigest.length()", equalTo(64))
                .body("request.patient.id", equalTo("1058158"))
                .body("response.decision", equalTo("BLOCK"))
                .body("dispositions", empty());
        // the batching writer puts it in the database shortly after the answer
        assertTrue(awaitRow(auditId), "audit record not written to the database within 10 s");
        given().get("/api/v1/audits/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/v1/audits/not-a-uuid").then().statusCode(404);
    }

    @Test
    void anAnswerStoredByAnotherNodeIsReturnedForItsRequestIdWithinTheWindow() throws Exception {
        String recent = "T-OTHER-" + UUID.randomUUID();
        String old = "T-OLD-" + UUID.randomUUID();
        String recentAudit = UUID.randomUUID().toString();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO audit_record(audit_id, request_id, created_at, stage, "
                     + "catalog_version, decision, patient_id, elapsed_micros, request_digest, request, response) "
                     + "VALUES (?::uuid, ?, now() - ?::interval, 'PRE_ORDER', 1, 'PASS', '1058158', 5, 'x', '{}', ?)")) {
            for (String[] row : new String[][] {{recentAudit, recent, "1 hour"}, {UUID.randomUUID().toString(), old, "25 hours"}}) {
                ps.setString(1, row[0]);
                ps.setString(2, row[1]);
                ps.setString(3, row[2]);
                ps.setString(4, "{\"auditId\": \"" + row[0] + "\", \"catalogVersion\": 1, \"decision\": \"PASS\", "
                        + "\"findings\": [], \"skipped\": [], \"degraded\": false, \"elapsedMicros\": 5}");
                ps.executeUpdate();
            }
        }
        // the other node's answer, although this order would be blocked here
        given().contentType(ContentType.JSON).body(order(recent, "M")).post("/api/v1/audits")
                .then().statusCode(200).body("auditId", equalTo(recentAudit)).body("decision", equalTo("PASS"));
        // outside the 24 h window the request is audited afresh
        given().contentType(ContentType.JSON).body(order(old, "M")).post("/api/v1/audits")
                .then().statusCode(200).body("auditId", not(equalTo(recentAudit))).body("decision", equalTo("BLOCK"));
    }

    @Test
    void theRecordKeepsTheBodyAsSentAndItsDigest() throws Exception {
        // odd spacing and an extra property: a re-serialisation would change both
        String body = order("T-" + UUID.randomUUID(), "M").replace("{\"requestId\"", "{  \"requestId\"");
        String auditId = given().contentType(ContentType.JSON).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/audits").then().statusCode(200).extract().path("auditId");
        assertTrue(awaitRow(auditId), "audit record not written to the database within 10 s");
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT request::text, request_digest, response::json->>'auditId' "
                     + "FROM audit_record WHERE audit_id = ?::uuid")) {
            ps.setString(1, auditId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(body, rs.getString(1));
                assertEquals(digest, rs.getString(2));
                assertEquals(auditId, rs.getString(3));
            }
        }
        given().get("/api/v1/audits/" + auditId).then().statusCode(200).body("requestDigest", equalTo(digest));
    }

    @Test
    void aBodyWithTabsNewlinesAndEscapesIsStoredByteForByteWithItsFindings() throws Exception {
        // what a HIS's pretty-printer sends: tabs, CRLF, an escaped quote and backslash, Chinese text
        String body = order("T-" + UUID.randomUUID(), "M").replace("\n", "\r\n\t").replace("\"itemName\": \"",
                "\"itemName\": \"\\\"宫内\\\\节育\\\" ");
        assertTrue(body.contains("\t") && body.contains("\\\\"), body);
        io.restassured.response.Response answer = given().contentType(ContentType.JSON)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/v1/audits")
                .then().statusCode(200).body("findings.ruleCode", hasItem("GZ10000301004000")).extract().response();
        String auditId = answer.path("auditId");
        assertTrue(awaitRow(auditId), "audit record not written to the database within 10 s");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT r.request, r.response, "
                     + "(SELECT array_agg(f.rule_code || '=' || array_to_string(f.item_codes, ',') ORDER BY f.rule_code) "
                     + "FROM audit_finding f WHERE f.audit_id = r.audit_id)::text FROM audit_record r WHERE r.audit_id = ?::uuid")) {
            ps.setString(1, auditId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(body, rs.getString(1));
                assertEquals(answer.asString(), rs.getString(2));
                assertTrue(rs.getString(3).contains("GZ10000301004000=XG02BAZ061Z007010279543"), rs.getString(3));
            }
        }
    }

    @Test
    void aNulInAStoredFieldIs422NamingItAndNothingIsStored() {
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M")
                        .replace("\"id\": \"1058158\"", "\"id\": \"10\\u000058\""))
                .post("/api/v1/audits").then().statusCode(422)
                .body("errors.field", hasItem("/patient/id"));
        given().contentType(ContentType.JSON).body("{\"patientId\": \"P-NUL\", \"lines\": [{\"id\": \"a\\u0000\", "
                        + "\"itemCode\": \"X\", \"quantity\": 1}]}")
                .post("/api/v1/charges").then().statusCode(422)
                .body("errors.field", hasItem("/lines/0/id"));
        given().get("/api/v1/charges/P-NUL").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aUtf16BodyIsAuditedAndStoredWithoutBlockingTheWriter() throws Exception {
        String body = order("T-" + UUID.randomUUID(), "M");
        String utf16 = given().contentType("application/json").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_16BE))
                .post("/api/v1/audits").then().statusCode(200)
                .body("findings.ruleCode", hasItem("GZ10000301004000")).extract().path("auditId");
        String next = given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "F"))
                .post("/api/v1/audits").then().statusCode(200).extract().path("auditId");
        assertTrue(awaitRow(utf16), "the UTF-16 audit was not stored");
        assertTrue(awaitRow(next), "the audit after it was not stored");
        given().get("/api/v1/audits/" + utf16).then().statusCode(200).body("request.patient.gender", equalTo("M"));
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private boolean awaitRow(String auditId) throws Exception {
        return com.preaudit.support.Await.until(() -> storedRecords(auditId), n -> n == 1,
                java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(50)) == 1;
    }

    private int storedRecords(String auditId) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_record WHERE audit_id = ?::uuid")) {
            ps.setString(1, auditId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void missingRequiredFieldsAre422WithFieldPaths() {
        String body = """
                {"stage": "PRE_ORDER", "patient": {"id": "p", "gender": "X"},
                 "lines": [{"id": "a", "quantity": 1}, {"id": "a", "itemCode": "Y"}]}""";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/audits")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("/patient/gender", "/patient/birthDate", "/lines/0/itemCode",
                        "/lines/1/id", "/lines/1/quantity"));
        given().contentType(ContentType.JSON).body("{\"patient\": {}, \"lines\": []}").post("/api/v1/audits")
                .then().statusCode(422).body("errors.field", hasItems("/stage", "/patient/id", "/lines"));
    }

    @Test
    void malformedValuesAre400NamingTheField() {
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M").replace("1951-08-27", "27/08/1951"))
                .post("/api/v1/audits").then().statusCode(400).body("errors[0].field", equalTo("/patient/birthDate"));
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M").replace("PRE_ORDER", "BEFORE"))
                .post("/api/v1/audits").then().statusCode(400).body("errors[0].field", equalTo("/stage"))
                .body("errors[0].message", containsString("PRE_CHARGE"));
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/v1/audits").then().statusCode(400);
        given().contentType(ContentType.JSON).body("").post("/api/v1/audits").then().statusCode(422);
    }

    @Test
    void aRuleThatNeedsMissingDataIsReportedInSkipped() {
        // no diagnosis on the encounter: the indication rule cannot decide a line whose row has diagnosis codes
        String body = order("T-" + UUID.randomUUID(), "F").replace(
                "\"diagnoses\": [{\"code\": \"M10.001\", \"name\": \"痛风性关节炎\", \"primary\": true}]", "\"diagnoses\": []");
        given().contentType(ContentType.JSON).body(body).post("/api/v1/audits").then().statusCode(200)
                .body("skipped", notNullValue());
    }

    @Test
    void dryRunOfADraftRuleStoresNothing() {
        String body = "{\"requests\": [" + order("DRY-1", "M") + ", " + order("DRY-2", "F") + "]}";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/rules/GZ10000301004000/test")
                .then().statusCode(200)
                .body("ruleCode", equalTo("GZ10000301004000"))
                .body("results[0].decision", equalTo("BLOCK"))
                .body("results[0].findings.size()", equalTo(1))
                .body("results[0].findings[0].lineIds", equalTo(java.util.List.of("6374")))
                .body("results[1].findings.size()", equalTo(0));
        given().contentType(ContentType.JSON).body("{\"requests\": [" + order("DRY-3", "M") + "]}")
                .post("/api/v1/rules/NO-SUCH-RULE/test").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"requests\": [{\"stage\": \"PRE_ORDER\"}]}")
                .post("/api/v1/rules/GZ10000301004000/test").then().statusCode(422)
                .body("errors.field", hasItem("/requests/0/patient"));
        // a dry run is not an audit: requestId DRY-1 was never recorded, so a real audit with it is fresh
        given().contentType(ContentType.JSON).body(order("DRY-1", "F")).post("/api/v1/audits").then().statusCode(200)
                .body("findings.ruleCode", not(hasItem("GZ10000301004000")));
    }

    @Test
    void metricsExposeAuditLatencyFindingsAndCatalogVersion() {
        given().contentType(ContentType.JSON).body(order("T-" + UUID.randomUUID(), "M")).post("/api/v1/audits").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("preaudit_audit_latency_seconds_bucket"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("preaudit_findings_total{rule=\"GZ10000301004000\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("preaudit_catalog_version"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'catalog' }.data.rules", greaterThan(30));
    }
}
