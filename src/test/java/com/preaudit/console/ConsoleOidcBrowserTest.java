package com.preaudit.console;

import com.preaudit.support.Browser;
import com.preaudit.support.FakeIdp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 医保科 user signs in to the console through the hospital's identity provider, in Chromium: the button, the
 * provider's own sign-in page on another site (127.0.0.1 against the console's localhost, so the SameSite=Strict
 * session cookie meets the cross-site redirect chain a real provider makes), 总览 with their name, what their
 * groups allow, and sign-out that ends the provider's session too.
 */
@QuarkusTest
@TestProfile(ConsoleOidcTest.WithIdentityProvider.class)
class ConsoleOidcBrowserTest {

    static final String RULE = "GZ10000301004000";

    final FakeIdp idp = FakeIdp.get();

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @BeforeEach
    void reset() {
        idp.reset();
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** From the console's sign-in page through the provider's form, back on the console. */
    Browser signInAtProvider(String username) {
        Browser b = Browser.open(base());
        b.go("/console");
        assertEquals("/console/login", b.path());
        b.click("#oidc-sign-in");
        assertTrue(b.driver.getCurrentUrl().startsWith(idp.issuer() + "/protocol/openid-connect/auth"),
                "at the identity provider: " + b.driver.getCurrentUrl());
        b.type("#username", username).type("#password", FakeIdp.PASSWORD).click("#kc-login");
        b.await(d -> !d.getCurrentUrl().contains("/console/oidc/callback"));
        return b;
    }

    @Test
    void anAnalystSignsInAtTheIdentityProviderSeesWhatTheirGroupsAllowAndSignsOut() throws Exception {
        try (Browser b = Browser.open(base())) {
            b.go("/console/login");
            assertEquals("通过医院统一身份认证登录", b.text("#oidc-sign-in"));
            b.screenshot("00-login");
        }
        try (Browser b = signInAtProvider("li.na")) {
            b.await(d -> d.getCurrentUrl().equals(base() + "/console/overview"));
            assertEquals("李娜", b.text("#who"), "the header shows the name the provider gave");
            assertTrue(b.has("#chart-trend"), "总览 for an analyst");

            // the analyst group has no rule-author: the rule reads, nothing to edit, and a forged save is refused
            b.go("/console/rules/" + RULE);
            assertTrue(b.has("#rule-props"));
            assertFalse(b.has("#rule-form"), "no editor without rule-author");
            assertFalse(b.has("#run-tests"));
            String when = given().get("/api/v1/rules/" + RULE).then().statusCode(200).extract().path("when");
            assertEquals(403L, b.postForm("/console/rules/" + RULE, "_csrf=" + b.csrf() + "&when=true&message=x&name=x"));
            assertEquals(when, given().get("/api/v1/rules/" + RULE).then().extract().path("when"));

            int logouts = idp.logouts.get();
            b.click("#logout");
            b.await(d -> d.getCurrentUrl().startsWith(base() + "/console/login"));
            assertEquals(logouts + 1, idp.logouts.get(), "sign-out ended the provider's session too");
            b.go("/console");
            assertEquals("/console/login", b.path(), "after sign-out the console asks for a sign-in again");
            b.go("/console/overview");
            assertEquals("/console/login", b.path());
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aRulePublisherFromTheProviderLandsOnRulesAndMayEdit() {
        try (Browser b = signInAtProvider("zhao.lei")) {
            b.await(d -> d.getCurrentUrl().equals(base() + "/console/rules"));
            assertEquals("赵磊", b.text("#who"));
            assertFalse(b.has("nav a[href='/console/overview']"), "no 总览 without analyst");
            b.go("/console/rules/" + RULE);
            assertTrue(b.has("#rule-form"), "the editor for a rule-publisher");
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void cancellingAtTheProviderSaysSoOnTheSignInPage() {
        idp.failNextAuthorize("access_denied");
        try (Browser b = Browser.open(base())) {
            b.go("/console/login").click("#oidc-sign-in");
            b.await(d -> d.getCurrentUrl().contains("failed="));
            assertEquals("/console/login?failed=cancelled", b.path());
            assertTrue(b.text("#login-error").contains("您在统一身份认证页面取消了登录"));
            b.go("/console");
            assertEquals("/console/login", b.path(), "nobody is signed in");
            assertEquals(List.of(), b.jsErrors());
        }
    }
}
