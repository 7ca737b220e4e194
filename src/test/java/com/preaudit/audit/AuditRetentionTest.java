package com.preaudit.audit;

import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.ChangeLogEntry;
import com.preaudit.platform.Ids;
import com.preaudit.support.Await;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static com.preaudit.support.HistoryFixtures.maleIud;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * preaudit.audit.retention-months drops whole months of audit records, in the change log; a month can be exported
 * first as gzip JSON lines (GET /api/v1/audits/export?month=yyyy-MM).
 */
@QuarkusTest
class AuditRetentionTest {

    private static final YearMonth OLD = YearMonth.of(2015, 7);

    @Inject
    AuditService audits;
    @Inject
    AuditRecordWriter writer;
    @Inject
    AuditRetention retention;
    @Inject
    ChangeLog changeLog;
    @Inject
    AgroalDataSource ds;

    @Test
    void aMonthIsExportedAsGzipJsonLinesAndThenDroppedWithAChangeLogEntry() throws Exception {
        Set<String> written = Set.of(writeOld(3), writeOld(20));
        List<String> exported = export(OLD);
        assertEquals(written, exported.stream().map(l -> io.restassured.path.json.JsonPath.from(l).getString("auditId"))
                .collect(Collectors.toSet()));
        io.restassured.path.json.JsonPath line = io.restassured.path.json.JsonPath.from(exported.get(0));
        assertEquals("M", line.getString("request.patient.gender"), "the request as stored");
        assertFalse(line.getList("response.findings").isEmpty(), "the answer as stored, with its findings");
        assertTrue(line.getString("createdAt").startsWith("2015-07"), line.getString("createdAt"));

        OffsetDateTime before = OffsetDateTime.now().minusSeconds(5);
        List<YearMonth> dropped = retention.dropBefore(YearMonth.of(2016, 1), "test");

        assertTrue(dropped.contains(OLD), "dropped: " + dropped);
        assertFalse(exists(AuditRetention.partition("audit_record", OLD)));
        assertFalse(exists(AuditRetention.partition("audit_finding", OLD)));
        assertTrue(exists(AuditRetention.partition("audit_record", YearMonth.now(AuditRetention.MONTHS))), "this month is kept");
        assertEquals(List.of(), export(OLD));
        for (String id : written) {
            given().get("/api/v1/audits/" + id).then().statusCode(404);
        }
        List<ChangeLogEntry> log = changeLog.list(before, OffsetDateTime.now().plusSeconds(5), null, 50);
        ChangeLogEntry entry = log.stream().filter(e -> "audit.retention.drop".equals(e.action) && OLD.toString().equals(e.target))
                .findFirst().orElseThrow(() -> new AssertionError("no change-log entry for the drop: " + log));
        assertTrue(entry.note.startsWith("2 audit records of 2015-07"), entry.note);
    }

    @Test
    void aMonthGoesOnceEveryRecordInItIsOlderThanTheRetention() {
        OffsetDateTime now = OffsetDateTime.parse("2026-12-07T10:00:00+08:00");
        // 1 month: November still has records younger than a month (Nov 7 onwards), October has none
        assertEquals(YearMonth.of(2026, 11), AuditRetention.firstKept(now, 1));
        assertEquals(YearMonth.of(2025, 12), AuditRetention.firstKept(now, 12));
        // at the very start of a month (Beijing time), the month before has just become old enough
        assertEquals(YearMonth.of(2026, 11), AuditRetention.firstKept(OffsetDateTime.parse("2026-12-01T00:00:00+08:00"), 1));
    }

    @Test
    void aBadMonthIsA400NamingTheField() {
        given().get("/api/v1/audits/export?month=2015-13").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("month"));
        given().get("/api/v1/audits/export").then().statusCode(400).body("errors[0].field", equalTo("month"));
    }

    private String writeOld(int day) throws Exception {
        OffsetDateTime at = OLD.atDay(day).atTime(10, 0).atZone(AuditRetention.MONTHS).toOffsetDateTime();
        AuditRequest request = maleIud("P-RET-" + UUID.randomUUID());
        AuditResponse a = audits.audit(request);
        long millis = at.toInstant().toEpochMilli();
        List<AuditResponse.FindingDto> findings = new ArrayList<>();
        for (AuditResponse.FindingDto f : a.findings()) {
            findings.add(new AuditResponse.FindingDto(Ids.uuid7(millis).toString(), f.ruleCode(), f.ruleName(), f.resultType(), f.action(),
                    f.lineIds(), f.itemCodes(), f.message(), f.amountAtRisk(), f.knowledgePointId(), f.basis()));
        }
        AuditResponse old = new AuditResponse(Ids.uuid7(millis).toString(), a.catalogVersion(), a.decision(), findings, a.skipped(),
                false, true, a.elapsedMicros());
        AuditRecord record = new AuditRecord(old.auditId(), at, request, old);
        assertTrue(writer.submit(record));
        record.outcome().get(10, java.util.concurrent.TimeUnit.SECONDS);
        Await.until(() -> writer.pending(old.auditId()), p -> p == null, Duration.ofSeconds(10), Duration.ofMillis(50));
        return old.auditId();
    }

    private List<String> export(YearMonth month) throws Exception {
        var r = given().get("/api/v1/audits/export?month=" + month);
        r.then().statusCode(200).contentType("application/gzip");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(r.asByteArray())), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        }
    }

    private boolean exists(String table) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
