package com.preaudit.catalog;

import com.preaudit.support.Db;
import com.preaudit.support.Api;
import com.preaudit.support.ApprovalRequired;
import com.preaudit.support.ChangeFixtures;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** preaudit.catalog.approval=required: a publish waits for a second rule-publisher, and never serves before. */
@QuarkusTest
@TestProfile(ApprovalRequired.class)
class FourEyesPublishingTest {

    static final String RULE = "TEST-FOUR-EYES";


    private Integer activeBefore;

    @org.junit.jupiter.api.BeforeEach
    void rememberActive() {
        activeBefore = Api.activeVersion();
    }

    /** Leaves the version active that was before (RestartReadsTest, in another profile, expects its own to be). */
    @org.junit.jupiter.api.AfterEach
    void restoreActive() {
        if (activeBefore != null && !activeBefore.equals(Api.activeVersion())) {
            given().post("/api/v1/catalog/versions/" + activeBefore + "/activate").then().statusCode(200);
        }
    }

    private static RequestSpecification alice() {
        return Tokens.withRoles("publisher-alice", "rule-publisher");
    }

    private static RequestSpecification bob() {
        return Tokens.withRoles("publisher-bob", "rule-publisher");
    }

    private static int publish(RequestSpecification who, String note) {
        return who.contentType(ContentType.JSON).body(Map.of("note", note, "basedOn", Api.activeVersion()))
                .post("/api/v1/catalog/versions").then().statusCode(201).body("status", equalTo("PENDING"))
                .extract().path("version");
    }

    private static Map<String, Object> version(int n) {
        return given().get("/api/v1/catalog/versions").then().statusCode(200).extract().jsonPath().getMap("find { it.version == " + n + " }");
    }

    private static String auditDecision() {
        return ChangeFixtures.post(ChangeFixtures.audit("P-4EYES-" + UUID.randomUUID(), "D1", "DOC1",
                List.of(ChangeFixtures.line("l1", "FOUREYES-1", "四眼测试项目", 10)))).then().statusCode(200).extract().path("decision");
    }

    /** One change-log entry of a version. */
    record Change(String action, String subject) { }

    private static List<Change> changes(int version) {
        return Db.list("SELECT action, subject FROM change_log WHERE target = ? ORDER BY id",
                rs -> new Change(rs.getString(1), rs.getString(2)), "version/" + version);
    }

    @Test
    void aPendingVersionServesOnlyOnceAnotherPublisherApprovesIt() throws Exception {
        int before = Api.activeVersion();
        // the first-start import was active at once, published by the service itself
        assertEquals("APPROVED", version(1).get("status"));
        assertEquals("system", version(1).get("publishedBy"));

        alice().contentType(ContentType.JSON).body("""
                {"name": "四眼测试：拦截", "tier": "MANAGEMENT", "category": "测试", "resultType": "VIOLATION",
                 "actions": {"PRE_ORDER": "BLOCK"}, "scope": "LINE", "when": "line.itemCode.startsWith('FOUREYES')", "message": "四眼测试"}""")
                .put("/api/v1/rules/" + RULE).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
        int pending = publish(alice(), "新增四眼测试规则");
        Map<String, Object> v = version(pending);
        assertEquals("PENDING", v.get("status"));
        assertEquals("publisher-alice", v.get("publishedBy"));
        assertEquals(null, v.get("approvedBy"));
        assertEquals(false, v.get("active"));
        // a pending version never serves: the active version and the audits stay as they were
        assertEquals(before, Api.activeVersion());
        assertEquals("PASS", auditDecision());
        // nor can it be activated around the approval
        alice().post("/api/v1/catalog/versions/" + pending + "/activate").then().statusCode(409);

        alice().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + pending + "/approve").then().statusCode(403);
        assertEquals(before, Api.activeVersion());

        bob().contentType(ContentType.JSON).body("{\"note\": \"已核对\"}").post("/api/v1/catalog/versions/" + pending + "/approve")
                .then().statusCode(200).body("active", equalTo(true));
        assertEquals(pending, Api.activeVersion());
        assertEquals("BLOCK", auditDecision());
        v = version(pending);
        assertEquals("APPROVED", v.get("status"));
        assertEquals("publisher-bob", v.get("approvedBy"));

        // decided once: a second decision is 409
        bob().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + pending + "/approve").then().statusCode(409);
        bob().contentType(ContentType.JSON).body("{\"note\": \"晚了\"}").post("/api/v1/catalog/versions/" + pending + "/reject").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/99999/approve").then().statusCode(404);

        List<String> log = changes(pending).stream().map(e -> e.action() + " " + e.subject()).toList();
        assertEquals(List.of("version.publish publisher-alice", "version.approve publisher-bob"), log);

        // rollback stays immediate: no approval for activating an approved older version
        given().post("/api/v1/catalog/versions/" + before + "/activate").then().statusCode(200);
        assertEquals(before, Api.activeVersion());
        assertEquals("PASS", auditDecision());
        given().post("/api/v1/catalog/versions/" + pending + "/activate").then().statusCode(200);
        assertEquals("BLOCK", auditDecision());
        assertTrue(changes(before).stream().anyMatch(e -> e.action().equals("version.activate")));
    }

    @Test
    void aRejectedVersionIsListedAndCanNeverServe() throws Exception {
        int before = Api.activeVersion();
        int pending = publish(alice(), "待驳回");
        bob().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + pending + "/reject").then().statusCode(422)
                .body("errors[0].field", equalTo("/note"));
        bob().contentType(ContentType.JSON).body("{\"note\": \"阈值过严\"}").post("/api/v1/catalog/versions/" + pending + "/reject")
                .then().statusCode(204);
        Map<String, Object> v = version(pending);
        assertEquals("REJECTED", v.get("status"));
        assertEquals("publisher-bob", v.get("rejectedBy"));
        assertEquals("阈值过严", v.get("decisionNote"));
        given().post("/api/v1/catalog/versions/" + pending + "/activate").then().statusCode(409);
        bob().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + pending + "/approve").then().statusCode(409);
        assertEquals(before, Api.activeVersion());
        assertEquals(List.of("version.publish", "version.reject"), changes(pending).stream().map(Change::action).toList());
    }

    @Test
    void aVersionBasedOnOneNoLongerActiveCannotBeApproved() {
        int first = publish(alice(), "基于当前版本 A");
        int second = publish(alice(), "基于当前版本 B");
        bob().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + first + "/approve").then().statusCode(200);
        // the second was based on the version active before the first: approving it would silently undo the first
        bob().contentType(ContentType.JSON).body("{}").post("/api/v1/catalog/versions/" + second + "/approve").then().statusCode(409);
        assertEquals(first, Api.activeVersion());
    }
}
