package com.preaudit.security;

import com.preaudit.catalog.CatalogApiTest;
import com.preaudit.support.Api;
import com.preaudit.support.HistoryFixtures;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.DAY_RULE;
import static com.preaudit.support.HistoryFixtures.audit;
import static com.preaudit.support.HistoryFixtures.line;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/**
 * PRODUCT.md §10 accountability: audit records and dispositions carry the calling client's subject;
 * an audit-client reads only the audits it made; every catalog change and token event is in the
 * change log with its subject; versions show publishedBy.
 */
@QuarkusTest
class AccountabilityTest {

    @Test
    void anAuditClientReadsTheAuditsItMadeAndTheyCarryItsSubject() {
        HistoryFixtures.ensureTestRulesActive();
        String outpatient = Tokens.mint("his-outpatient-acc", "audit-client");
        String inpatient = Tokens.mint("his-inpatient-acc", "audit-client");
        LocalDateTime at = LocalDateTime.now().minusHours(2);
        Response audit = Tokens.as(outpatient).contentType(ContentType.JSON)
                .body(audit("PRE_ORDER", "P-ACC-" + UUID.randomUUID(), "E1",
                        List.of(line("l1", "HISTTEST-D1", 2, at), line("l2", "HISTTEST-D2", 3, at))))
                .post("/api/v1/audits").then().statusCode(200).extract().response();
        String auditId = audit.path("auditId");
        String finding = audit.jsonPath().getString("findings.find { it.ruleCode == '" + DAY_RULE + "' }.id");

        Tokens.as(outpatient).get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("clientSubject", equalTo("his-outpatient-acc"));
        // another client's audit is not found, as if it did not exist
        Tokens.as(inpatient).get("/api/v1/audits/" + auditId).then().statusCode(404).contentType("application/problem+json");
        Tokens.withRoles("analyst-acc", "analyst").get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("clientSubject", equalTo("his-outpatient-acc"));

        Tokens.as(outpatient).contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("findingId", finding, "disposition", "OVERRIDDEN", "reason", "临床必需", "by", "00129"))))
                .post("/api/v1/audits/" + auditId + "/dispositions").then().statusCode(204);
        given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("dispositions", hasSize(1))
                .body("dispositions[0].by", equalTo("00129"))
                .body("dispositions[0].clientSubject", equalTo("his-outpatient-acc"));
    }

    @Test
    void catalogChangesAndTokenEventsAreLoggedWithTheirSubject() {
        String author = Tokens.mint("author-acc", "rule-author");
        String publisher = Tokens.mint("publisher-acc", "rule-publisher");
        Tokens.as(author).contentType(ContentType.JSON).body(CatalogApiTest.localRule()).put("/api/v1/rules/TEST-ACC-1")
                .then().statusCode(201);
        Tokens.as(author).delete("/api/v1/rules/TEST-ACC-1").then().statusCode(204);
        Tokens.as(author).contentType(ContentType.JSON).body(CatalogApiTest.localRule()).put("/api/v1/rules/TEST-ACC-1")
                .then().statusCode(201);
        Integer active = Api.activeVersion();
        int version = Tokens.as(publisher).contentType(ContentType.JSON)
                .body(Map.of("note", "季度更新", "basedOn", active, "author", "张伟"))
                .post("/api/v1/catalog/versions").then().statusCode(201).extract().path("version");

        given().get("/api/v1/catalog/versions").then().statusCode(200)
                .body("find { it.version == " + version + " }.publishedBy", equalTo("publisher-acc"))
                .body("find { it.version == " + version + " }.author", equalTo("张伟"))
                // the first-start import
                .body("find { it.version == 1 }.publishedBy", equalTo("system"));

        String analyst = Tokens.mint("analyst-acc2", "analyst");
        Tokens.as(analyst).get("/api/v1/catalog/changes?subject=author-acc").then().statusCode(200)
                .body("subject", everyItem(equalTo("author-acc")))
                .body("action", equalTo(List.of("rule.put", "rule.delete", "rule.put")))
                .body("target", everyItem(equalTo("TEST-ACC-1")));
        Tokens.as(analyst).get("/api/v1/catalog/changes?subject=publisher-acc").then().statusCode(200)
                .body("[0].action", equalTo("version.publish"))
                .body("[0].target", equalTo("v" + version))
                .body("[0].note", equalTo("季度更新"));
        Tokens.as(analyst).get("/api/v1/catalog/changes?limit=1000").then().statusCode(200)
                .body("findAll { it.action == 'token.mint' }.note", hasItem(org.hamcrest.Matchers.containsString("author-acc")));
        Tokens.as(analyst).get("/api/v1/catalog/changes?subject=system").then().statusCode(200)
                .body("action", hasItem("version.publish"))
                .body("action", hasItem("catalog.import"));

        Tokens.as(analyst).get("/api/v1/catalog/changes?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        Tokens.as(analyst).get("/api/v1/catalog/changes?from=yesterday").then().statusCode(400).body("errors[0].field", equalTo("from"));
        Tokens.as(analyst).get("/api/v1/catalog/changes?from=2000-01-01&to=2000-01-02").then().statusCode(200).body("$", hasSize(0));
        Tokens.withRoles("client-acc", "audit-client").get("/api/v1/catalog/changes").then().statusCode(403);
        // an entry is never from anonymous: every change needs a credential
        Tokens.as(analyst).get("/api/v1/catalog/changes?limit=1000").then().body("subject", not(hasItem("anonymous")));
    }
}
