package com.preaudit.console;

import com.preaudit.support.Api;
import com.preaudit.support.ApprovalRequired;
import com.preaudit.support.Browser;
import com.preaudit.support.ChangeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 版本 with four-eyes publishing ({@code preaudit.catalog.approval=required}) in a browser: a publisher's version waits,
 * shows who published it and offers its publisher no approve button (and the server refuses a forged one); a second
 * publisher approves it and it serves; a rejection needs a reason; a rule author sees no decision buttons and is
 * refused a forged one.
 */
@QuarkusTest
@TestProfile(ApprovalRequired.class)
class ConsoleApprovalBrowserTest {

    static final String CODE = "CONSOLE-4EYES";

    private Integer activeBefore;
    private String item;

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    /** A draft rule that blocks only this test's item: what the pending version changes, visible in an audit. */
    @BeforeEach
    void draftRule() {
        activeBefore = Api.activeVersion();
        item = "C4EYES-" + UUID.randomUUID().toString().substring(0, 8);
        Api.putRule(CODE, """
                {"name": "控制台四眼测试：拦截", "tier": "MANAGEMENT", "category": "测试", "resultType": "VIOLATION",
                 "actions": {"PRE_ORDER": "BLOCK"}, "scope": "LINE", "when": "line.itemCode == '%s'", "message": "四眼测试"}"""
                .formatted(item)).then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    /** Leaves the draft and the active version as they were (the other tests of this profile expect their own). */
    @AfterEach
    void restore() {
        given().delete("/api/v1/rules/" + CODE).then().statusCode(anyOf(equalTo(204), equalTo(404)));
        if (activeBefore != null && !activeBefore.equals(Api.activeVersion())) {
            given().post("/api/v1/catalog/versions/" + activeBefore + "/activate").then().statusCode(200);
        }
    }

    private String decision() {
        return ChangeFixtures.post(ChangeFixtures.audit("P-C4EYES-" + UUID.randomUUID(), "D1", "DOC1",
                List.of(ChangeFixtures.line("l1", item, "四眼测试项目", 10)))).then().statusCode(200).extract().path("decision");
    }

    private static Map<String, Object> version(int n) {
        return given().get("/api/v1/catalog/versions").then().statusCode(200).extract().jsonPath().getMap("find { it.version == " + n + " }");
    }

    /** Publishes the draft from the 版本 page as the signed-in user; returns the new (pending) version. */
    private static int publish(Browser b, String note) {
        b.go("/console/versions");
        b.type("#note", note).click("#publish");
        String message = b.text("#version-message");
        assertTrue(message.contains("等待另一位发布人审批"), message);
        return Integer.parseInt(message.replaceAll("^已发布版本 (\\d+).*$", "$1"));
    }

    @Test
    void aSecondPublisherApprovesWhatThePublisherCannot() throws Exception {
        int pending;
        try (Browser alice = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            pending = publish(alice, "控制台四眼测试：新增拦截规则");
            assertEquals(activeBefore, Api.activeVersion(), "a pending version does not serve");
            assertEquals("PASS", decision());
            WebElement row = alice.find("tr[data-version='" + pending + "']");
            assertEquals("PENDING", row.getAttribute("data-status"));
            assertTrue(row.getText().contains("待审批"), row.getText());
            assertTrue(alice.text("tr[data-version='" + pending + "'] .published-by").contains("医保科-发布"));
            // the publisher's own version: no approve button, and the server refuses a forged approval
            assertFalse(alice.has("button.approve[data-version='" + pending + "']"));
            assertTrue(alice.has("tr[data-version='" + pending + "'] .own-version"));
            assertFalse(alice.has("button.activate[data-version='" + pending + "']"), "a pending version cannot be activated around the approval");
            assertEquals(403L, alice.postForm("/console/versions/" + pending + "/approve", "_csrf=" + alice.csrf()));
            assertEquals(activeBefore, Api.activeVersion());
            // the refusal as the publisher would read it
            alice.js("var f = document.createElement('form'); f.method = 'post'; f.action = '/console/versions/" + pending + "/approve';"
                    + "var i = document.createElement('input'); i.type = 'hidden'; i.name = '_csrf'; i.value = arguments[0]; f.appendChild(i);"
                    + "document.body.appendChild(f); f.submit();", alice.csrf());
            alice.await(d -> alice.has("#version-error"));
            assertTrue(alice.text("#version-error").contains("是您本人发布的，须由另一位发布人审批"), alice.text("#version-error"));
            assertEquals(List.of(), alice.jsErrors());
        }
        try (Browser bob = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.reviewer())) {
            bob.go("/console/versions");
            assertTrue(bob.has("button.approve[data-version='" + pending + "']"));
            bob.js("document.getElementById('version-list').scrollIntoView();");
            bob.screenshot("15-versions-pending");
            // the impact of what is to be approved is one click away: the simulation form with this version chosen
            bob.click("tr[data-version='" + pending + "'] a.simulate-link");
            assertEquals(String.valueOf(pending), bob.find("#candidate").getAttribute("value"));
            bob.go("/console/versions");
            bob.type("tr[data-version='" + pending + "'] input.approve-note", "已核对试运行结果");
            bob.click("button.approve[data-version='" + pending + "']");
            assertTrue(bob.text("#version-message").contains("版本 " + pending + " 已审批通过并生效"), bob.text("#version-message"));
            assertEquals(pending, Api.activeVersion());
            assertEquals("BLOCK", decision());
            assertTrue(bob.text("tr[data-version='" + pending + "'] .decision").contains("医保科-复核"));
            Map<String, Object> v = version(pending);
            assertEquals("医保科-发布", v.get("publishedBy"));
            assertEquals("医保科-复核", v.get("approvedBy"));
            assertEquals("已核对试运行结果", v.get("decisionNote"));
            assertFalse(bob.has("button.approve[data-version='" + pending + "']"), "decided once");
            assertEquals(List.of(), bob.jsErrors());
        }
    }

    @Test
    void aRejectionNeedsAReasonAndTheVersionNeverServes() {
        try (Browser alice = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            int pending = publish(alice, "控制台四眼测试：待驳回");
            try (Browser bob = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.reviewer())) {
                bob.go("/console/versions");
                bob.click("button.reject[data-version='" + pending + "']");
                assertTrue(bob.text("#version-error").contains("请填写驳回理由"), bob.text("#version-error"));
                assertEquals("PENDING", version(pending).get("status"));
                bob.type("tr[data-version='" + pending + "'] input.reject-note", "阈值过严，请与临床科室确认");
                bob.click("button.reject[data-version='" + pending + "']");
                assertTrue(bob.text("#version-message").contains("已驳回"), bob.text("#version-message"));
                assertEquals("REJECTED", bob.find("tr[data-version='" + pending + "']").getAttribute("data-status"));
                assertEquals(List.of(), bob.jsErrors());
            }
            assertEquals("REJECTED", version(pending).get("status"));
            assertEquals(activeBefore, Api.activeVersion());
            assertEquals("PASS", decision());
            // activating it by a forged form is refused with the reason
            assertEquals(409L, alice.postForm("/console/versions/" + pending + "/activate", "_csrf=" + alice.csrf()));
            assertEquals(activeBefore, Api.activeVersion());
        }
    }

    @Test
    void aRuleAuthorSeesNoDecisionButtonsAndIsRefusedAForgedOne() {
        int pending;
        try (Browser alice = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            pending = publish(alice, "控制台四眼测试：编写人不能审批");
        }
        try (Browser author = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            author.go("/console/versions");
            assertTrue(author.has("tr[data-version='" + pending + "']"));
            assertFalse(author.has("button.approve"), "no approve for a rule author, on any version");
            assertFalse(author.has("button.reject"), "no reject for a rule author, on any version");
            String csrf = author.csrf();
            assertEquals(403L, author.postForm("/console/versions/" + pending + "/approve", "_csrf=" + csrf));
            assertEquals(403L, author.postForm("/console/versions/" + pending + "/reject", "_csrf=" + csrf + "&note=x"));
            assertEquals(List.of(), author.jsErrors());
        }
        assertEquals("PENDING", version(pending).get("status"));
        assertEquals(activeBefore, Api.activeVersion());
        // leave nothing pending for the next test: its approval must not be based on a version no longer active
        given().contentType("application/json").body("{\"note\": \"测试结束\"}").post("/api/v1/catalog/versions/" + pending + "/reject")
                .then().statusCode(204);
    }
}
