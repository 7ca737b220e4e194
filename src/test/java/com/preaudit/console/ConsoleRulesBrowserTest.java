package com.preaudit.console;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.Api;
import com.preaudit.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 规则 in a browser: find a rule, edit it with an error and see it at its position, fix it, run its tests, try it on an order. */
@QuarkusTest
class ConsoleRulesBrowserTest {

    static final String CODE = "CONSOLE-GENDER";

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    /** A draft copy of the national gender rule (with its four tests), so the edits touch no other test's rule. */
    @BeforeEach
    void draftRule() {
        Integer active = Api.activeVersion();
        Map<String, Object> rule = given().get("/api/v1/rules/GZ10000301004000" + (active == null ? "" : "?version=" + active))
                .then().statusCode(200).extract().jsonPath().getMap("$");
        rule.put("code", CODE);
        rule.put("name", "控制台测试-药品区分性别使用");
        given().contentType(ContentType.JSON).body(rule).put("/api/v1/rules/" + CODE).then().statusCode(org.hamcrest.Matchers.anyOf(
                org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    /** The draft is shared with every other test: a copy whose tests fail would stop their publishes. */
    @AfterEach
    void removeDraftRule() {
        given().delete("/api/v1/rules/" + CODE).then().statusCode(204);
    }

    @Test
    void anAuthorEditsARuleSeesTheErrorAtItsPositionFixesItAndRunsItsTests() throws Exception {
        String original = given().get("/api/v1/rules/" + CODE).then().extract().path("when");
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            b.type("#q", "控制台测试").click("#filter");
            assertEquals(1, b.all("#rule-list tbody tr").size());
            b.screenshot("02-rules");
            b.click("#rule-list a[href='/console/rules/" + CODE + "']");
            assertTrue(b.text("#rule-set").contains("drug-gender"), "the rule links its knowledge set");

            // an expression the sandbox refuses, typed at the end of the condition
            String bad = original + " && Runtime.getRuntime() != null";
            b.type("#when", bad);
            // the check runs as it is typed: wait for the answer to the whole text, not to a prefix of it
            b.await(d -> "invalid".equals(b.find("#live").getAttribute("data-state"))
                    && b.all("#live .mark[data-field='/when']").stream()
                    .anyMatch(m -> String.valueOf(bad.indexOf("Runtime")).equals(m.getAttribute("data-position"))));
            var mark = b.find("#live .mark[data-field='/when']");
            assertEquals(bad.indexOf("Runtime"), Integer.parseInt(mark.getAttribute("data-position")),
                    "the error is marked where 'Runtime' starts");
            assertEquals("R", mark.getText());
            b.screenshot("03-rule-editor-error");

            // saving it anyway is refused, with the same position, and the draft keeps the old expression
            b.click("#save");
            assertTrue(b.text("#save-problems").contains("第 1 行第 " + (bad.indexOf("Runtime") + 1) + " 列"), b.text("#save-problems"));
            assertEquals(original, given().get("/api/v1/rules/" + CODE).then().extract().path("when"));

            // fixed: the live check passes, saving changes the draft
            String fixed = original + " && line.quantity > 0";
            b.type("#when", fixed);
            b.await(d -> "valid".equals(b.find("#live").getAttribute("data-state")));
            b.click("#save");
            assertTrue(b.has("#saved"));
            assertEquals(fixed, given().get("/api/v1/rules/" + CODE).then().extract().path("when"));

            b.click("#run-tests");
            List<String> results = testResults(b);
            assertEquals(List.of("pass", "pass", "pass", "pass"), results);

            // try on an order: the example's male patient with an IUD is blocked by this rule
            b.type("#order", AuditResource.REQUEST_EXAMPLE).click("#try-order");
            assertEquals("BLOCK", b.text("#try-decision"));
            b.screenshot("04-rule-tests-and-try");
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aFailingTestIsShownAsFailed() {
        // a condition that never holds: the rule's own blocking tests fail
        Map<String, Object> rule = given().get("/api/v1/rules/" + CODE).then().extract().jsonPath().getMap("$");
        rule.put("when", "kp.gender == 'X'");
        given().contentType(ContentType.JSON).body(rule).put("/api/v1/rules/" + CODE).then().statusCode(200);
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            b.go("/console/rules/" + CODE).click("#run-tests");
            List<String> results = testResults(b);
            assertEquals(List.of("fail", "fail", "pass", "pass"), results);
        }
    }

    /** Pass/fail of each test row, read in one script once the results are on the page. */
    @SuppressWarnings("unchecked")
    static List<String> testResults(Browser b) {
        b.await(d -> b.has("#test-results") || b.has("#test-error"));
        return (List<String>) b.js("return Array.prototype.map.call(document.querySelectorAll('#test-results tbody tr'),"
                + " function (r) { return r.className; });");
    }

    @Test
    void anAnalystReadsRulesButCannotEditThem() {
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.analyst())) {
            b.go("/console/rules/" + CODE);
            assertTrue(b.has("#rule-props"));
            assertFalse(b.has("#rule-form"), "no editor for an analyst");
            assertFalse(b.has("#run-tests"));
            // the endpoints refuse the analyst even with the session's CSRF token
            assertEquals(403L, b.postForm("/console/rules/" + CODE, "_csrf=" + b.csrf() + "&when=true&message=x&name=x"));
            assertEquals(CODE, given().get("/api/v1/rules/" + CODE).then().extract().path("code"));
            assertFalse("true".equals(given().get("/api/v1/rules/" + CODE).then().extract().path("when")));
        }
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenChangesNothing() {
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            b.go("/console/rules/" + CODE);
            assertEquals(403L, b.postForm("/console/rules/" + CODE, "_csrf=forged&when=true&message=x&name=x"));
            assertFalse("true".equals(given().get("/api/v1/rules/" + CODE).then().extract().path("when")));
        }
    }
}
