package com.preaudit.console;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.Api;
import com.preaudit.support.Await;
import com.preaudit.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 知识库, 版本 and 审核记录 in a browser: upload a CSV with one bad row and see it in place, upload it fixed,
 * publish with a note, read the diff, roll back; find an audit; and the same paths refused to roles that
 * may not take them.
 */
@QuarkusTest
class ConsoleCatalogBrowserTest {

    static final String SET = "console-local-gender";

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    static Path csv(String name, String content) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "console-upload"));
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f.toAbsolutePath();
    }

    @Test
    void uploadWithABadRowPublishDiffAndRollBack() throws Exception {
        String bad = "kp_id,item_codes,item_name,gender\n"
                + "KP-console-1,XG02BAZ061Z007010279543,左炔诺孕酮宫内节育系统,F\n"
                + "KP-console-2,,度他雄胺软胶囊,M\n"
                + "KP-console-3,XG04CBD247E002*,度他雄胺,M\n";
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.publisher())) {
            b.go("/console/knowledge");
            b.type("#set-name", SET);
            b.find("#file").sendKeys(csv("bad.csv", bad).toString());
            b.click("#upload");
            // the bad record (row 3: the header is row 1) is marked where it is, with its column
            List<WebElement> badRows = b.all("#upload-errors tr.bad-row");
            assertEquals(1, badRows.size());
            assertEquals("3", badRows.get(0).getAttribute("data-row"));
            assertTrue(badRows.get(0).getText().contains("item_codes"), badRows.get(0).getText());
            b.screenshot("05-knowledge-upload-error");
            given().get("/api/v1/knowledge-sets/" + SET + "/rows").then().statusCode(404);

            // fixed and uploaded again: the set is in the draft
            b.type("#set-name", SET);
            b.find("#file").sendKeys(csv("good.csv", bad.replace("KP-console-2,,", "KP-console-2,XG04CBD247E002010101503,")).toString());
            b.click("#upload");
            assertTrue(b.has("#saved"));
            assertEquals(3, b.all("#set-rows tbody tr").size());
            b.type("#itemCode", "XG04CBD247E002999").click("#search");
            assertEquals(1, b.all("#set-rows tbody tr").size(), "the prefix pattern covers the code searched for");
            b.screenshot("06-knowledge-set");

            // 版本: the draft's new set is shown side by side before publishing
            int before = Api.activeVersion();
            b.go("/console/versions");
            WebElement set = b.find(".set-change[data-set='" + SET + "']");
            assertEquals(3, set.findElements(org.openqa.selenium.By.cssSelector("tr[data-kind='added']")).size());
            b.type("#note", "控制台测试：本院性别限用知识").click("#publish");
            assertTrue(b.has("#version-message"), () -> b.text("main"));
            // versions are numbered after the highest one, which other tests' rollbacks may have left above the active one
            int published = Api.activeVersion();
            assertTrue(published > before);
            assertTrue(b.text("#version-message").contains("已发布版本 " + published), b.text("#version-message"));
            assertTrue(b.has("#diff-empty"), "after publishing the draft equals the active version");
            b.screenshot("07-versions");

            // the published version's diff against its base, readable row by row
            b.click("tr[data-version='" + published + "'] a.diff-link");
            assertTrue(b.has(".set-change[data-set='" + SET + "'] tr[data-kp='KP-console-3']"));
            b.screenshot("08-version-diff");

            // roll back to the version before
            b.go("/console/versions");
            b.click("button.activate[data-version='" + before + "']");
            assertTrue(b.text("#version-message").contains("版本 " + before + " 已生效"));
            assertEquals(before, Api.activeVersion());
            assertEquals(List.of(), b.jsErrors());
        }
    }

    @Test
    void aPublishWhoseRuleTestsFailIsRefusedAndShowsWhy() {
        String rule = """
                {"name": "控制台测试-必失败", "tier": "MANAGEMENT", "resultType": "VIOLATION", "actions": {"PRE_ORDER": "BLOCK"},
                 "when": "false", "message": "x",
                 "tests": [{"name": "应当拦截", "request": {"stage": "PRE_ORDER", "patient": {"id": "p", "gender": "M", "birthDate": "1980-01-01"},
                   "lines": [{"id": "l1", "itemCode": "X1", "quantity": 1}]}, "expect": [{"lineIds": ["l1"]}]}]}""";
        Api.putRule("CONSOLE-FAILING", rule).then().statusCode(201);
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.admin())) {
            Integer before = Api.activeVersion();
            b.go("/console/versions");
            b.type("#note", "应失败").click("#publish");
            assertTrue(b.text("#version-error").contains("CONSOLE-FAILING"), b.text("#version-error"));
            assertEquals(before, Api.activeVersion(), "nothing was published");
        } finally {
            given().delete("/api/v1/rules/CONSOLE-FAILING").then().statusCode(204);
        }
    }

    @Test
    void anAuthorMayUploadButNotPublishAndAnAnalystMayNotUpload() throws Exception {
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            b.go("/console/versions");
            assertTrue(b.has("#draft-diff"));
            assertFalse(b.has("#publish-form"), "no publish form for a rule author");
            assertFalse(b.has("button.activate"));
            Integer before = Api.activeVersion();
            assertEquals(403L, b.postForm("/console/versions/publish", "_csrf=" + b.csrf() + "&note=x&basedOn=" + before));
            assertEquals(before, Api.activeVersion());
            b.go("/console/knowledge");
            assertTrue(b.has("#upload-form"));
        }
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.analyst())) {
            b.go("/console/knowledge");
            assertTrue(b.has("#set-list"));
            assertFalse(b.has("#upload-form"), "no upload for an analyst");
            b.go("/console/versions");
            assertTrue(b.has("#change-log") || b.text("main").contains("没有变更记录"), "the analyst reads the change log");
        }
    }

    @Test
    void findAnAuditByRequestIdAndReadItsFindings() throws Exception {
        String requestId = "CONSOLE-FIND-" + UUID.randomUUID();
        String auditId = given().contentType(ContentType.JSON).body(AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", requestId))
                .post("/api/v1/audits").then().statusCode(200).extract().path("auditId");
        Await.until(() -> given().get("/api/v1/audits/" + auditId).statusCode(), s -> s == 200, Duration.ofSeconds(20), Duration.ofMillis(200));
        Await.until(() -> given().get("/console/audits").statusCode(), s -> true, Duration.ofSeconds(1), Duration.ofMillis(10));
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.analyst())) {
            b.go("/console/audits");
            b.await(d -> true);
            Await.until(() -> {
                b.go("/console/audits?q=" + requestId);
                return b.all("#audit-list tbody tr").size();
            }, n -> n == 1, Duration.ofSeconds(20), Duration.ofMillis(300));
            assertEquals(1, b.all("#audit-list tbody tr").size());
            b.screenshot("09-audits");
            b.click("#audit-list a");
            assertEquals("BLOCK", b.text("#audit-decision"));
            assertTrue(b.text("#audit-findings").contains("GZ10000301004000"));
            b.screenshot("10-audit");
            b.go("/console/audits");
            b.type("#q", auditId).click("#find");
            assertEquals("/console/audits/" + auditId, b.path(), "an auditId opens the audit");
            assertEquals(List.of(), b.jsErrors());
        }
        try (Browser b = ConsoleOverviewBrowserTest.signIn(ConsoleUsers.author())) {
            assertFalse(b.has("nav a[href='/console/audits']"));
            b.go("/console/audits/" + auditId);
            assertFalse(b.has("#audit-findings"), "a rule author does not read audits");
        }
    }
}
