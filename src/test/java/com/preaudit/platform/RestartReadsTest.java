package com.preaudit.platform;

import com.preaudit.support.HistoryFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs in a restarted Quarkus (another test profile) against the same database: EmbeddedPostgresResource
 * hands the restarted application the server the first one used.
 */
@QuarkusTest
@TestProfile(RestartReadsTest.Restarted.class)
@Order(Integer.MAX_VALUE - 10)
class RestartReadsTest {

    public static class Restarted implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "restarted";
        }
    }

    @Test
    void catalogChangesSurviveTheRestart() {
        String v = RestartState.read("version");
        assertNotNull(v, "RestartWritesTest must run first");
        int version = Integer.parseInt(v);
        given().get("/api/v1/catalog/versions").then().statusCode(200).body("version", hasItem(version))
                .body("find { it.version == " + version + " }.active", equalTo(true));
        given().get("/api/v1/rules/" + RestartWritesTest.RULE + "?version=" + version).then().statusCode(200);
        given().get("/api/v1/rules/" + RestartWritesTest.RULE).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'catalog' }.data.activeVersion", equalTo(version));
    }

    @Test
    void everyAuditAcknowledgedBeforeTheRestartIsStored() {
        String last = RestartState.read("lastAudits");
        assertNotNull(last, "RestartWritesTest must run first");
        List<String> missing = new ArrayList<>();
        String[] ids = last.split(",");
        for (String id : ids) {
            // a new process: nothing is pending in memory, so this reads the database
            if (given().get("/api/v1/audits/" + id).statusCode() != 200) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "audits acknowledged before the restart but not stored");
        assertEquals(RestartWritesTest.LAST_AUDITS, ids.length);
    }

    @Test
    void dispositionsAndChargesSurviveTheRestart() {
        String auditId = RestartState.read("dispositionAudit");
        assertNotNull(auditId, "RestartWritesTest must run first");
        given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("dispositions", hasSize(1))
                .body("dispositions[0].findingId", equalTo(RestartState.read("dispositionFinding")))
                .body("dispositions[0].disposition", equalTo("OVERRIDDEN"))
                .body("dispositions[0].reason", equalTo("重启前的处理"));

        String patient = RestartState.read("patient");
        LocalDate day = LocalDate.parse(RestartState.read("day"));
        given().get("/api/v1/charges/" + patient + "?from=" + day + "&to=" + day).then().statusCode(200)
                .body("lineId", contains("r1", "r2"))
                .body("refunded", contains(false, true));

        // and the stored history still reaches audits: r1 counts, the refunded r2 does not
        Response audit = HistoryFixtures.postAudit(HistoryFixtures.audit("PRE_CHARGE", patient, "E1",
                List.of(HistoryFixtures.line("n2", "HISTTEST-R", 1, day.atTime(11, 0))))).then().statusCode(200).extract().response();
        assertTrue(HistoryFixtures.ruleCodes(audit).contains(HistoryFixtures.DAY_RULE), audit.asString());
        audit.then().body("findings.find { it.ruleCode == '" + HistoryFixtures.DAY_RULE + "' }.message",
                org.hamcrest.Matchers.containsString("当日累计2次"));
    }
}
