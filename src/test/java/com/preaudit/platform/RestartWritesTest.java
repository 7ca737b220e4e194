package com.preaudit.platform;

import com.preaudit.catalog.CatalogApiTest;
import com.preaudit.support.Api;
import com.preaudit.support.HistoryFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** First half of the restart check: writes state, then {@link RestartReadsTest} runs in a restarted service. */
@QuarkusTest
@Order(Integer.MAX_VALUE - 20)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartWritesTest {

    static final String RULE = "TEST-RESTART-MARKER";
    static final int LAST_AUDITS = 300;
    static int publishedVersion;

    /** Charges, a refund and a disposition: each acknowledged only once committed. */
    @Test
    @Order(1)
    void chargesAndDispositionsBeforeTheRestart() {
        // before the version published below, so that it is the active one after the restart
        HistoryFixtures.ensureTestRulesActive();
        String patient = "P-RESTART-" + UUID.randomUUID();
        var day = LocalDate.now().minusDays(1);
        HistoryFixtures.postCharges(patient, "E1", List.of(HistoryFixtures.line("r1", "HISTTEST-R", 1, day.atTime(8, 0)),
                HistoryFixtures.line("r2", "HISTTEST-R", 1, day.atTime(9, 0)))).then().statusCode(200).body("recorded", equalTo(2));
        given().delete("/api/v1/charges/" + patient + "/r2").then().statusCode(204);

        Response audit = HistoryFixtures.postAudit(HistoryFixtures.audit("PRE_CHARGE", patient, "E1",
                List.of(HistoryFixtures.line("n1", "HISTTEST-R", 1, day.atTime(10, 0))))).then().statusCode(200).extract().response();
        String findingId = audit.path("findings.find { it.ruleCode == '" + HistoryFixtures.DAY_RULE + "' }.id");
        assertTrue(findingId != null, audit.asString());
        given().contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("findingId", findingId, "disposition", "OVERRIDDEN", "reason", "重启前的处理", "by", "00129"))))
                .post("/api/v1/audits/" + audit.path("auditId") + "/dispositions").then().statusCode(204);

        RestartState.write("patient", patient);
        RestartState.write("day", day.toString());
        RestartState.write("dispositionAudit", audit.path("auditId"));
        RestartState.write("dispositionFinding", findingId);
    }

    @Test
    @Order(2)
    void publishAVersionBeforeTheRestart() {
        Api.putRule(RULE, CatalogApiTest.localRule()).then().statusCode(201);
        publishedVersion = Api.publish("before restart");
        assertTrue(publishedVersion > 1);
        RestartState.write("version", Integer.toString(publishedVersion));
    }

    /** The last thing before the graceful stop: audits acknowledged while their records are still queued. */
    @Test
    @Order(3)
    void auditsAnsweredRightBeforeTheRestart() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LAST_AUDITS; i++) {
            ids.add(HistoryFixtures.postAudit(HistoryFixtures.audit("PRE_ORDER", "P-LAST-" + i, "E" + i,
                    List.of(HistoryFixtures.line("l1", "HISTTEST-L", 2, LocalDate.now().atTime(0, 30)))))
                    .then().statusCode(200).extract().path("auditId"));
        }
        RestartState.write("lastAudits", String.join(",", ids));
    }
}
