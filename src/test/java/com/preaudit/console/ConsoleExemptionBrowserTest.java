package com.preaudit.console;

import com.preaudit.support.Browser;
import com.preaudit.support.ChangeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 特批 in a browser: a rule-publisher grants an exemption and the patient's next audit passes (through the API), revokes
 * it and the next one blocks again; a grant naming no rule of the active version is refused in Chinese; an analyst
 * reads the list but can neither grant nor revoke, even by forging the form; a rule author does not see the page.
 */
@QuarkusTest
class ConsoleExemptionBrowserTest {

    static final String ITEM = "CHGTEST-E-CONSOLE";

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @BeforeEach
    void rules() {
        ChangeFixtures.ensureRulesActive();
    }

    private static JsonPath audit(String patient) {
        return ChangeFixtures.post(ChangeFixtures.audit(patient, "D-CEX", "DOC-CEX", List.of(ChangeFixtures.line("l1", ITEM, "特批测试项目", 120))))
                .then().statusCode(200).extract().jsonPath();
    }

    private static String exemptionIdOf(JsonPath audit) {
        return audit.getString("findings.find { it.ruleCode == '" + ChangeFixtures.EXEMPT_RULE + "' }.exemptionId");
    }

    private static void fill(Browser b, String patient, String rule) {
        b.type("#patientId", patient).type("#ruleCode", rule).type("#itemCode", ITEM)
                .type("#approvalNo", "YB-CONSOLE-1").type("#reason", "医保办审批：临床必需，符合限定支付条件");
    }

    @Test
    void aPublisherGrantsAnExemptionTheNextAuditPassesRevokedItBlocksAgain() throws Exception {
        String patient = "P-CEX-" + UUID.randomUUID();
        assertEquals("BLOCK", audit(patient).getString("decision"));
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            b.click("nav a[href='/console/exemptions']");
            assertEquals(LocalDate.now().toString(), b.find("#validFrom").getAttribute("value"), "valid from today unless changed");
            fill(b, patient, ChangeFixtures.EXEMPT_RULE);
            b.click("#grant");
            assertTrue(b.text("#exemption-message").contains("已特批"), b.text("main"));
            b.type("#patient", patient).click("#filter");
            List<org.openqa.selenium.WebElement> rows = b.all("#exemption-list tbody tr");
            assertEquals(1, rows.size());
            String id = rows.get(0).getAttribute("data-id");
            assertEquals("ACTIVE", rows.get(0).getAttribute("data-state"));
            assertTrue(rows.get(0).getText().contains("医保科-发布"), "who granted it: " + rows.get(0).getText());
            b.screenshot("14-exemptions");

            // the patient's next audit: the finding is a notice carrying the exemption, the order passes
            JsonPath granted = audit(patient);
            assertEquals("PASS", granted.getString("decision"), granted.prettify());
            assertEquals(id, exemptionIdOf(granted));
            Map<String, Object> api = given().get("/api/v1/exemptions/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
            assertEquals("医保科-发布", api.get("grantedBy"));
            assertEquals("YB-CONSOLE-1", api.get("approvalNo"));

            b.click("button.revoke[data-id='" + id + "']");
            assertTrue(b.text("#exemption-message").contains("已撤销"), b.text("main"));
            assertEquals("REVOKED", b.find("#exemption-list tr[data-id='" + id + "']").getAttribute("data-state"));
            JsonPath revoked = audit(patient);
            assertEquals("BLOCK", revoked.getString("decision"), revoked.prettify());
            assertNull(exemptionIdOf(revoked));
            // and it is no longer among the valid ones
            b.go("/console/exemptions?state=ACTIVE&patientId=" + patient);
            assertTrue(b.has("#exemption-empty"));
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aGrantForARuleNotInTheActiveVersionIsRefusedInChineseAndStoresNothing() {
        String patient = "P-CEX-BAD-" + UUID.randomUUID();
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            b.go("/console/exemptions");
            fill(b, patient, "NO-SUCH-RULE");
            b.type("#validTo", "2020-01-01");
            b.click("#grant");
            String errors = b.text("#grant-errors");
            assertTrue(errors.contains("规则：生效版本 v") && errors.contains("中没有规则 NO-SUCH-RULE"), errors);
            assertTrue(errors.contains("结束日期：不能早于开始日期"), errors);
            assertEquals(patient, b.find("#patientId").getAttribute("value"), "what was typed stays in the form");
            assertEquals(List.of(), b.jsErrors());
        }
        given().get("/api/v1/exemptions?patientId=" + patient).then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));
    }

    @Test
    void anAnalystReadsExemptionsButCannotGrantOrRevokeThemAndAnAuthorDoesNotSeeThem() {
        String patient = "P-CEX-RO-" + UUID.randomUUID();
        String id = given().contentType("application/json").body(Map.of("patientId", patient, "ruleCode", ChangeFixtures.EXEMPT_RULE,
                        "validFrom", LocalDate.now().toString(), "validTo", LocalDate.now().plusDays(3).toString(), "reason", "医保办审批"))
                .post("/api/v1/exemptions").then().statusCode(201).extract().path("id");
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.analyst())) {
            b.click("nav a[href='/console/exemptions']");
            assertFalse(b.has("#grant-form"), "no grant form for an analyst");
            b.type("#patient", patient).click("#filter");
            assertTrue(b.has("#exemption-list tr[data-id='" + id + "']"));
            assertFalse(b.has("button.revoke"), "no revoke button for an analyst");
            // the endpoints refuse the analyst even with the session's CSRF token
            String csrf = b.csrf();
            assertEquals(403L, b.postForm("/console/exemptions/" + id + "/revoke", "_csrf=" + csrf));
            assertEquals(403L, b.postForm("/console/exemptions", "_csrf=" + csrf + "&patientId=" + patient + "&ruleCode="
                    + ChangeFixtures.EXEMPT_RULE + "&validFrom=" + LocalDate.now() + "&validTo=" + LocalDate.now() + "&reason=x"));
            assertEquals(List.of(), b.jsErrors());
        }
        given().get("/api/v1/exemptions?patientId=" + patient).then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.is(1)).body("[0].active", org.hamcrest.Matchers.is(true));
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            assertFalse(b.has("nav a[href='/console/exemptions']"), "no 特批 for a rule author");
            b.go("/console/exemptions");
            assertFalse(b.has("#exemption-list"));
            assertTrue(b.text("#error-message").contains("无权"), b.text("main"));
        }
    }
}
