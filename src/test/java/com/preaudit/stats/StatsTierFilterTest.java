package com.preaudit.stats;

import com.preaudit.support.AuditRows;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code groupBy=rule} filtered by tier (政策类/管理类/医疗类) and category, so the 医保科 can look at the clinical rules
 * apart (issue 19). Findings of three default-catalog rules, one per tier, are stored for March 2023 (no other test's
 * audits fall in it); the tier and category come from the published catalog, not from the finding.
 */
@QuarkusTest
class StatsTierFilterTest {

    static final String RANGE = "from=2023-03-01&to=2023-03-31&groupBy=rule";
    // one rule per tier, as the default catalog files them
    static final String POLICY = "GZ10000102012000";     // 医疗服务项目重复收费, 医疗服务项目政策限定类
    static final String MANAGEMENT = "GZ10000204006000"; // 诊断与患者性别不符, 行为主体监管类
    static final String MEDICAL = "GZ10000301004000";    // 药品区分性别使用, 药品合理使用类
    static boolean stored;

    @Inject
    AgroalDataSource ds;

    @BeforeEach
    void store() throws Exception {
        if (stored) {
            return;
        }
        try (AuditRows rows = new AuditRows(ds)) {
            // 3 policy findings, 2 management, 1 medical
            String[] rules = {POLICY, POLICY, POLICY, MANAGEMENT, MANAGEMENT, MEDICAL};
            for (int i = 0; i < rules.length; i++) {
                UUID audit = UUID.randomUUID();
                Timestamp ts = Timestamp.from(LocalDateTime.of(2023, 3, 10 + i, 10, 0).atZone(ZoneId.systemDefault()).toInstant());
                rows.record(audit, ts, "PRE_ORDER", "BLOCK", "P1", "A03", "D1");
                rows.finding(UUID.randomUUID(), audit, ts, "PRE_ORDER", rules[i], rules[i], "BLOCK").by("A03", "D1")
                        .items(List.of("X1"), new BigDecimal("10.00")).add();
            }
            rows.commit();
        }
        stored = true;
    }

    @Test
    void withoutAFilterEveryTierIsRanked() {
        given().get("/api/v1/stats/findings?" + RANGE).then().statusCode(200)
                .body("key", equalTo(List.of(POLICY, MANAGEMENT, MEDICAL)))
                .body("findings", equalTo(List.of(3, 2, 1)));
    }

    @Test
    void tierKeepsOnlyThatTiersRules() {
        given().get("/api/v1/stats/findings?" + RANGE + "&tier=MEDICAL").then().statusCode(200)
                .body("key", equalTo(List.of(MEDICAL)));
        given().get("/api/v1/stats/findings?" + RANGE + "&tier=management").then().statusCode(200)
                .body("key", equalTo(List.of(MANAGEMENT))).body("findings", equalTo(List.of(2)));
        // the Chinese tier names of the national framework are accepted too
        given().get("/api/v1/stats/findings?" + RANGE + "&tier=政策类").then().statusCode(200)
                .body("key", equalTo(List.of(POLICY))).body("findings", equalTo(List.of(3)));
    }

    @Test
    void categoryKeepsOnlyThatCategorysRules() {
        given().get("/api/v1/stats/findings?" + RANGE + "&category=药品合理使用类").then().statusCode(200)
                .body("key", equalTo(List.of(MEDICAL)));
        given().get("/api/v1/stats/findings?" + RANGE + "&tier=POLICY&category=行为主体监管类").then().statusCode(200)
                .body("key", equalTo(List.of()));
        // any grouping can be filtered: the department's findings of the management rules only
        given().get("/api/v1/stats/findings?from=2023-03-01&to=2023-03-31&groupBy=department&tier=MANAGEMENT").then().statusCode(200)
                .body("key", equalTo(List.of("A03"))).body("findings", equalTo(List.of(2)));
    }

    @Test
    void unknownTierOrCategoryIsRefusedWithTheAllowedValues() {
        given().get("/api/v1/stats/findings?" + RANGE + "&tier=CLINICAL").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("tier"))
                .body("errors[0].message", containsString("POLICY (政策类), MANAGEMENT (管理类), MEDICAL (医疗类)"));
        given().get("/api/v1/stats/findings?" + RANGE + "&category=不存在的分类").then().statusCode(400)
                .body("errors.field", hasItem("category"))
                .body("errors[0].message", containsString("药品合理使用类"));
    }
}
