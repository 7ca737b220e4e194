package com.preaudit.console;

import com.preaudit.support.Api;
import com.preaudit.support.Await;
import com.preaudit.support.Browser;
import com.preaudit.support.HistoryFixtures;
import com.preaudit.support.StoredAudits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
 * 试运行 in a browser: a rule author starts a simulation of a draft change over real stored audits and reads what it
 * adds by rule, department and doctor, the decisions it changes and the money; a running one is cancelled; a bad
 * period is refused in Chinese; and an analyst, whose role may not simulate, neither sees nor can forge it.
 */
@QuarkusTest
class ConsoleSimulationBrowserTest {

    static final String STAGE = "PRE_CHARGE";
    static final String SCENARIO = "EMERGENCY";

    @Inject
    AgroalDataSource ds;

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    private static Map<String, Object> request(String patient, String department, String doctor, String itemCode, int amount) {
        return HistoryFixtures.encounterAudit(STAGE, SCENARIO, patient, "1970-03-03", department, doctor,
                List.of(HistoryFixtures.line("l1", itemCode, "SERVICE", 1, amount, LocalDateTime.now().minusMinutes(1))));
    }

    private String audit(Map<String, Object> request) {
        return given().contentType(ContentType.JSON).body(request).post("/api/v1/audits").then().statusCode(200)
                .body("decision", equalTo("PASS")).extract().path("auditId");
    }

    private void awaitStored(List<String> ids) throws Exception {
        StoredAudits.awaitAll(ds, ids);
    }

    static String ruleJson(String itemCode) {
        return """
                {"name": "控制台试运行：新增拦截", "tier": "MANAGEMENT", "category": "测试", "resultType": "VIOLATION",
                 "actions": {"PRE_ORDER": "BLOCK", "PRE_CHARGE": "BLOCK", "PRE_SETTLEMENT": "BLOCK"}, "scope": "LINE",
                 "when": "line.itemCode == '%s'", "message": "@{line.itemCode}：试运行新增拦截"}""".formatted(itemCode);
    }

    /** The simulation page's own polling takes it from RUNNING to its result; the test only waits for the result to show. */
    private static void awaitResult(Browser b) {
        b.await(d -> {
            try {
                return b.has("#simulation-summary") && "complete".equals(b.js("return document.readyState"));
            } catch (org.openqa.selenium.WebDriverException e) {
                return false; // caught mid-reload
            }
        });
    }

    @Test
    void anAuthorSimulatesADraftRuleAndReadsWhatItWouldAddByRuleDepartmentAndDoctor() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String code = "CONSOLE-SIM-" + run;
        String item = "CSIM-" + run;
        String deptA = "D-CSIM-A-" + run;
        String deptB = "D-CSIM-B-" + run;
        String doctor = "DOC-CSIM-" + run;
        awaitStored(List.of(
                // three orders the active catalog passes; the draft's new rule blocks each: 100 + 200 in A, 300 in B
                audit(request("P-CSIM-1-" + run, deptA, doctor, item, 100)),
                audit(request("P-CSIM-2-" + run, deptA, doctor, item, 200)),
                audit(request("P-CSIM-3-" + run, deptB, doctor, item, 300)),
                // an order of another item: replayed, unchanged
                audit(request("P-CSIM-4-" + run, deptB, doctor, "CSIM-OTHER-" + run, 50))));
        Api.putRule(code, ruleJson(item)).then().statusCode(anyOf(equalTo(200), equalTo(201)));
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            b.click("nav a[href='/console/simulations']");
            assertEquals("/console/simulations", b.path());
            new org.openqa.selenium.support.ui.Select(b.find("#candidate")).selectByValue("draft");
            new org.openqa.selenium.support.ui.Select(b.find("#baseline")).selectByValue("active");
            b.type("#from", LocalDate.now().minusDays(1).toString()).type("#to", LocalDate.now().toString());
            new org.openqa.selenium.support.ui.Select(b.find("#stage")).selectByValue(STAGE);
            new org.openqa.selenium.support.ui.Select(b.find("#scenario")).selectByValue(SCENARIO);
            b.screenshot("11-simulations");
            b.click("#start");
            assertTrue(b.path().startsWith("/console/simulations/"), b.path());
            awaitResult(b);
            assertEquals("已完成", b.text("#sim-status"));
            assertTrue(b.text("#simulation-props").contains("草稿"), b.text("#simulation-props"));

            // the rule's row: three findings added, 600 元 more at risk, none removed
            WebElement rule = b.find("#by-rule tr[data-rule='" + code + "']");
            assertEquals("3", rule.findElement(By.cssSelector("td.added")).getText());
            assertEquals("0", rule.findElement(By.cssSelector("td.removed")).getText());
            assertEquals("+600.00", rule.findElement(By.cssSelector("td.net")).getText());
            assertTrue(rule.getText().contains("控制台试运行：新增拦截"), rule.getText());
            // by department and doctor, as the encounters said
            assertEquals("2", b.find("#by-department tr[data-key='" + deptA + "'] td.added").getText());
            assertEquals("1", b.find("#by-department tr[data-key='" + deptB + "'] td.added").getText());
            assertEquals("+300.00", b.find("#by-department tr[data-key='" + deptB + "'] td.net").getText());
            assertEquals("3", b.find("#by-doctor tr[data-key='" + doctor + "'] td.added").getText());
            // each of the three passed orders would now be blocked
            long passToBlock = Long.parseLong(b.find("#decision-changes tr[data-from='PASS'][data-to='BLOCK'] td.n").getText());
            assertTrue(passToBlock >= 3, "PASS → BLOCK " + passToBlock);
            assertTrue(Long.parseLong(b.text("#sum-audits")) >= 4, b.text("#sum-audits"));
            // the chart draws the rule's bar
            b.await(d -> b.has("#chart-sim-rules[data-drawn]") && b.has("#chart-sim-departments[data-drawn]"));
            String bars = String.valueOf(b.js("return echarts.getInstanceByDom(document.getElementById('chart-sim-rules'))"
                    + ".getOption().yAxis[0].data.join('|');"));
            assertTrue(bars.contains(code), bars);
            // a sample names one of the three audits with the rule it adds
            assertTrue(b.text("#samples").contains(code));
            b.screenshot("12-simulation-result");
            b.js("document.getElementById('by-rule').scrollIntoView(false);");
            b.screenshot("12-simulation-charts");
            // a finished simulation cannot be cancelled (409, the page says why)
            String finished = b.path().substring("/console/simulations/".length());
            assertEquals(409L, b.postForm("/console/simulations/" + finished + "/cancel", "_csrf=" + b.csrf()));
            given().get("/api/v1/simulations/" + finished).then().statusCode(200).body("status", equalTo("DONE"));

            // the list shows it, newest first
            b.go("/console/simulations");
            assertTrue(b.text("#simulation-list tbody tr:first-child").contains("已完成"));
            assertEquals(List.of(), b.jsErrors());
        } finally {
            given().delete("/api/v1/rules/" + code).then().statusCode(204);
        }
    }

    @Test
    void aRunningSimulationIsCancelledFromItsPage() throws Exception {
        String id;
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author());
             Connection c = ds.getConnection()) {
            // While this transaction holds charge_line, the replay waits at its first history read: the
            // simulation is certainly RUNNING when the button is pressed.
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE charge_line IN ACCESS EXCLUSIVE MODE")) {
                lock.execute();
            }
            try {
                b.go("/console/simulations");
                b.type("#from", LocalDate.now().minusDays(1).toString()).type("#to", LocalDate.now().toString());
                b.click("#start");
                id = b.path().substring("/console/simulations/".length());
                assertEquals("运行中", b.text("#sim-status"));
                assertTrue(b.has("#simulation-progress[data-poll]"), "a running simulation's page follows its progress");
                b.screenshot("13-simulation-running");
                b.click("#cancel");
                assertEquals("已取消", b.text("#sim-status"));
                assertTrue(b.has("#simulation-message"));
                assertFalse(b.has("#cancel"), "a cancelled simulation offers no cancel");
                given().get("/api/v1/simulations/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));
            } finally {
                c.rollback();
            }
            // the worker, let go, writes what it had replayed by then; the page then shows it
            Await.until(() -> given().get("/api/v1/simulations/" + id).then().extract().jsonPath().get("result"),
                    r -> r != null, Duration.ofSeconds(30), Duration.ofMillis(100));
            b.go("/console/simulations/" + id);
            assertTrue(b.has("#simulation-summary"), b.text("main"));
            // a second press (a stale page) is harmless
            assertEquals(200L, b.postForm("/console/simulations/" + id + "/cancel", "_csrf=" + b.csrf()));
            given().get("/api/v1/simulations/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"));
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aPeriodEndingBeforeItStartsIsRefusedInChineseAndStartsNothing() {
        long before = given().get("/api/v1/simulations?limit=500").then().statusCode(200).extract().jsonPath().getList("$").size();
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            b.go("/console/simulations");
            b.type("#from", "2026-11-30").type("#to", "2026-11-01").click("#start");
            assertTrue(b.text("#simulation-errors").contains("结束日期：不能早于开始日期 2026-11-30"), b.text("#simulation-errors"));
            assertEquals("2026-11-01", b.find("#to").getAttribute("value"), "what was typed stays in the form");
            b.type("#from", "30/11/2026").click("#start");
            assertTrue(b.text("#simulation-errors").contains("开始日期：应为日期 yyyy-MM-dd"), b.text("#simulation-errors"));
            assertEquals(List.of(), b.jsErrors());
        }
        assertEquals(before, given().get("/api/v1/simulations?limit=500").then().extract().jsonPath().getList("$").size());
    }

    @Test
    void anAnalystNeitherSeesNorCanStartASimulation() {
        long before = given().get("/api/v1/simulations?limit=500").then().statusCode(200).extract().jsonPath().getList("$").size();
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.analyst())) {
            assertFalse(b.has("nav a[href='/console/simulations']"), "no 试运行 for an analyst");
            b.go("/console/simulations");
            assertFalse(b.has("#simulation-form"));
            assertTrue(b.text("#error-message").contains("无权"), b.text("main"));
            b.go("/console/overview");
            String body = "_csrf=" + b.csrf() + "&candidate=draft&baseline=active&from=" + LocalDate.now() + "&to=" + LocalDate.now();
            assertEquals(403L, b.postForm("/console/simulations", body));
            assertEquals(List.of(), b.jsErrors());
        }
        assertEquals(before, given().get("/api/v1/simulations?limit=500").then().extract().jsonPath().getList("$").size(),
                "the forged form started nothing");
    }
}
