package com.preaudit.console;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.Await;
import com.preaudit.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 总览 in a browser: sign in, the charts drawn from the statistics of real audits, sign out; refused to a rule author. */
@QuarkusTest
class ConsoleOverviewBrowserTest {

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    static Browser signIn(String token) {
        Browser b = Browser.open(base());
        b.go("/console");
        assertEquals("/console/login", b.path(), "a console page without a session leads to the sign-in page");
        b.type("#token", token).click("#sign-in");
        return b;
    }

    static long auditsToday() {
        List<Map<String, Object>> days = given().get("/api/v1/stats/daily").then().statusCode(200).extract().jsonPath().getList("$");
        return ((Number) days.get(days.size() - 1).get("audits")).longValue();
    }

    @Test
    void dashboardChartsShowTheStatisticsOfTheAuditsMade() throws Exception {
        long before = auditsToday();
        for (String gender : new String[] {"M", "M", "F"}) {
            given().contentType(ContentType.JSON)
                    .body(AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", "CONSOLE-" + UUID.randomUUID())
                            .replace("\"gender\": \"M\"", "\"gender\": \"" + gender + "\""))
                    .post("/api/v1/audits").then().statusCode(200);
        }
        long today = Await.until(ConsoleOverviewBrowserTest::auditsToday, n -> n >= before + 3, Duration.ofSeconds(20), Duration.ofMillis(200));
        assertTrue(today >= before + 3);

        try (Browser b = signIn(ConsoleUsers.admin())) {
            assertEquals("/console/overview", b.path());
            b.await(d -> b.has("#chart-trend[data-drawn]") && b.has("#chart-mix[data-drawn]") && b.has("#chart-top-rules[data-drawn]"));
            // the trend's last point (today) is the audit count of the statistics API
            Number drawn = (Number) b.js("var o = echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption();"
                    + "var d = o.series[0].data; return d[d.length - 1];");
            assertEquals(auditsToday(), drawn.longValue());
            String lastDay = (String) b.js("var d = echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().xAxis[0].data;"
                    + "return d[d.length - 1];");
            assertEquals(LocalDate.now().toString().substring(5), lastDay);
            // the top-rules bar shows the gender rule the two male orders hit
            String rules = String.valueOf(b.js("return echarts.getInstanceByDom(document.getElementById('chart-top-rules')).getOption().yAxis[0].data.join('|');"));
            assertTrue(rules.contains("GZ10000301004000"), rules);
            assertTrue(b.text("#periods").contains("今日"));
            // ECharts animates a new chart for a second (animationDuration 1000 ms by default): the screenshot (one
            // of the README's) waits for the lines to be drawn to their end
            Thread.sleep(1500);
            b.screenshot("01-overview");

            b.click("#logout");
            assertEquals("/console/login", b.path());
            b.go("/console/overview");
            assertEquals("/console/login", b.path(), "after sign-out the session no longer opens pages");
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aRuleAuthorHasNoDashboard() {
        try (Browser b = signIn(ConsoleUsers.author())) {
            assertEquals("/console/rules", b.path());
            assertFalse(b.has("nav a[href='/console/overview']"), "no 总览 link for a rule author");
            int status = com.preaudit.support.Tokens.anonymous().redirects().follow(false).get("/console/overview").then().extract().statusCode();
            assertEquals(303, status, "without a session: redirect to sign-in");
            b.go("/console/overview");
            assertFalse(b.has("#chart-trend"), "the author is refused the dashboard");
        }
    }

    @Test
    void revokingTheTokenEndsTheSessionsOpenedWithIt() {
        Map<String, Object> minted = given().contentType(ContentType.JSON)
                .body(Map.of("subject", "医保科-临时", "roles", List.of("rule-author")))
                .post("/api/v1/tokens").then().statusCode(201).extract().jsonPath().getMap("$");
        try (Browser b = signIn((String) minted.get("token"))) {
            assertEquals("/console/rules", b.path());
            given().delete("/api/v1/tokens/" + minted.get("id")).then().statusCode(204);
            b.go("/console/rules");
            assertEquals("/console/login", b.path(), "the revoked token's session no longer opens pages");
        }
    }

    @Test
    void aWrongTokenOrAnAuditClientCannotSignIn() {
        try (Browser b = signIn("not-a-token")) {
            assertEquals("/console/login", b.path());
            // no client id of the identity provider configured here: no button, and its path leads back to the form
            assertFalse(b.has("#oidc-sign-in"), "no identity-provider button without preaudit.auth.oidc.client-id");
            assertTrue(b.text("#login-error").contains("令牌无效"));
            b.type("#token", ConsoleUsers.client()).click("#sign-in");
            assertTrue(b.text("#login-error").contains("不能使用控制台"));
            b.go("/console/login/oidc");
            assertEquals("/console/login", b.path());
            assertEquals(List.of(), b.jsErrors());
        }
    }
}
