package com.preaudit.audit;

import com.preaudit.platform.Ids;
import com.preaudit.support.Await;
import com.preaudit.support.Db;
import com.preaudit.support.StoredAudits;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.preaudit.support.HistoryFixtures.maleIud;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit records are partitioned by month of China Standard Time (PRODUCT.md §9, migration V7): the writer puts each
 * record and its findings in their month's partition, creating it when needed, and a row that arrived before its
 * month existed is moved there when the month is created, still found by id.
 */
@QuarkusTest
class AuditPartitionTest {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @Inject
    AuditService audits;

    @Inject
    AuditRecordWriter writer;


    private static String partition(String table, YearMonth month) {
        return String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue());
    }

    /** The partition holding each stored row of the audit: the record's first, then its findings'. */
    private static List<String> partitionsOf(String auditId) {
        return Db.list("SELECT tableoid::regclass::text FROM audit_record WHERE audit_id = ?::uuid "
                + "UNION ALL SELECT tableoid::regclass::text FROM audit_finding WHERE audit_id = ?::uuid", rs -> rs.getString(1), auditId, auditId);
    }

    private static boolean exists(String table) throws Exception {
        return StoredAudits.tableExists(Db.dataSource(), table);
    }

    private List<String> awaitStored(String auditId) throws Exception {
        return Await.until(() -> partitionsOf(auditId), stored -> writer.pending(auditId) == null && !stored.isEmpty(),
                Duration.ofSeconds(10), Duration.ofMillis(50));
    }

    @Test
    void anAuditIsStoredInItsMonthsPartitionAndTheNextMonthIsReady() throws Exception {
        AuditResponse a = audits.audit(maleIud("P-PART-" + UUID.randomUUID()));
        assertFalse(a.findings().isEmpty());
        List<String> stored = awaitStored(a.auditId());
        assertEquals(1 + a.findings().size(), stored.size());

        YearMonth month = YearMonth.from(StoredAudits.createdAt(Db.dataSource(), a.auditId()).atZoneSameInstant(CHINA));
        assertEquals(partition("audit_record", month), stored.get(0));
        for (String finding : stored.subList(1, stored.size())) {
            assertEquals(partition("audit_finding", month), finding);
        }
        assertTrue(exists(partition("audit_record", month.plusMonths(1))), "next month's record partition");
        assertTrue(exists(partition("audit_finding", month.plusMonths(1))), "next month's finding partition");
    }

    @Test
    void aMonthFirstMadeAheadGetsItsOwnNextMonthWhenItsRecordsArrive() throws Exception {
        // an audit now makes this month and the next one; a record of the next month must then make the one after
        AuditRequest request = maleIud("P-PART-" + UUID.randomUUID());
        awaitStored(audits.audit(request).auditId());
        YearMonth next = YearMonth.now(CHINA).plusMonths(1);
        OffsetDateTime at = next.atDay(2).atTime(10, 0).atZone(CHINA).toOffsetDateTime();
        AuditResponse a = audits.audit(request);
        AuditResponse later = new AuditResponse(Ids.uuid7(at.toInstant().toEpochMilli()).toString(), a.catalogVersion(),
                a.decision(), List.of(), a.skipped(), false, true, a.elapsedMicros());
        assertTrue(writer.submit(new AuditRecord(later.auditId(), at, request, later)));

        assertEquals(List.of(partition("audit_record", next)), awaitStored(later.auditId()));
        assertTrue(exists(partition("audit_record", next.plusMonths(1))), "the month after the next one");
        assertTrue(exists(partition("audit_finding", next.plusMonths(1))), "the month after the next one, findings");
    }

    /** A record of {@code request}'s answer stamped at {@code at}, without findings, submitted to the writer; its audit id. */
    private String submitAt(AuditRequest request, OffsetDateTime at) {
        AuditResponse a = audits.audit(request);
        AuditResponse stamped = new AuditResponse(Ids.uuid7(at.toInstant().toEpochMilli()).toString(), a.catalogVersion(),
                a.decision(), List.of(), a.skipped(), false, true, a.elapsedMicros());
        assertTrue(writer.submit(new AuditRecord(stamped.auditId(), at, request, stamped)));
        return stamped.auditId();
    }

    @Test
    void aMonthWhoseCreationMetALockIsCreatedSoonAfterNotAMinuteLater() throws Exception {
        // a reader holding the findings' default partition makes the month's creation wait past its lock timeout (2 s),
        // as a query of another node can at the turn of a month; the writer tries again at its next batch a second
        // later, instead of leaving the month's rows in the default partition for a minute
        AuditRequest request = maleIud("P-PART-" + UUID.randomUUID());
        OffsetDateTime at = OffsetDateTime.parse("2031-05-10T10:00:00+08:00");
        String first;
        try (Connection reader = Db.dataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                st.execute("LOCK TABLE audit_finding_default IN ACCESS SHARE MODE");
            }
            first = submitAt(request, at);
            Await.until(() -> partitionsOf(first), stored -> !stored.isEmpty(), Duration.ofSeconds(10), Duration.ofMillis(50));
            reader.rollback();
        }
        assertEquals(List.of("audit_record_default"), partitionsOf(first), "written while its month could not be made");
        Thread.sleep(1_200);
        String second = submitAt(request, at.plusHours(1));
        assertEquals(List.of("audit_record_y2031m05"), awaitStored(second));
        assertEquals(List.of("audit_record_y2031m05"), partitionsOf(first), "moved into its month when the month was made");
    }

    @Test
    void aRecordKeepsItsAuditsMonthInChinaStandardTimeWhenWrittenLater() throws Exception {
        // 2019-03-31 17:30 UTC is 2019-04-01 01:30 in Beijing: an April audit (ids of that time), written now
        OffsetDateTime at = OffsetDateTime.parse("2019-03-31T17:30:00Z");
        AuditRequest request = maleIud("P-PART-" + UUID.randomUUID());
        AuditResponse a = audits.audit(request);
        List<AuditResponse.FindingDto> findings = new ArrayList<>();
        long millis = at.toInstant().toEpochMilli();
        for (AuditResponse.FindingDto f : a.findings()) {
            findings.add(new AuditResponse.FindingDto(Ids.uuid7(millis).toString(), f.ruleCode(), f.ruleName(), f.resultType(), f.action(),
                    f.lineIds(), f.itemCodes(), f.message(), f.amountAtRisk(), f.knowledgePointId(), f.basis()));
        }
        AuditResponse old = new AuditResponse(Ids.uuid7(millis).toString(), a.catalogVersion(), a.decision(), findings, a.skipped(), false, true,
                a.elapsedMicros());
        assertTrue(writer.submit(new AuditRecord(old.auditId(), at, request, old)));

        List<String> stored = awaitStored(old.auditId());
        assertEquals(1 + findings.size(), stored.size());
        assertEquals("audit_record_y2019m04", stored.get(0));
        for (String finding : stored.subList(1, stored.size())) {
            assertEquals("audit_finding_y2019m04", finding);
        }
        given().get("/api/v1/audits/" + old.auditId()).then().statusCode(200).body("response.auditId", equalTo(old.auditId()));
    }

    private static String plan(String sql, UUID id) {
        return Db.plan("(COSTS OFF)", sql, (c, ps) -> {
            ps.setObject(1, id);
            AuditPartitions.bindIdWindow(ps, 2, id);
        });
    }

    @Test
    void aLookupByAuditIdReadsTheMonthOfItsIdOnly() throws Exception {
        Db.list("SELECT audit_month_partitions('2018-01-15 12:00+08')", rs -> null);
        String ours = plan(AuditStore.FIND_SQL, UUID.fromString(Ids.newId()));
        assertTrue(ours.contains(partition("audit_record", YearMonth.now(CHINA))), ours);
        assertFalse(ours.contains("audit_record_y2018m01"), ours);
        assertFalse(ours.contains("audit_record_default"), ours);
        // a UUID this service did not make carries no time: every month is probed
        String other = plan(AuditStore.FIND_SQL, UUID.randomUUID());
        assertTrue(other.contains("audit_record_y2018m01") && other.contains("audit_record_default"), other);
    }

    @Test
    void aRowStoredBeforeItsMonthExistedMovesIntoTheMonthWhenItIsCreated() throws Exception {
        String auditId = UUID.randomUUID().toString();
        Db.update("INSERT INTO audit_record(audit_id, created_at, stage, catalog_version, decision, patient_id, elapsed_micros, "
                + "request_digest, request, response) VALUES (?::uuid, '2018-06-15 10:00+08', 'PRE_ORDER', 1, 'PASS', 'P-PART-OLD', 5, 'x', '{}', ?)",
                auditId, "{\"auditId\": \"" + auditId + "\", \"catalogVersion\": 1, \"decision\": \"PASS\", "
                        + "\"findings\": [], \"skipped\": [], \"degraded\": false, \"elapsedMicros\": 5}");
        assertEquals(List.of("audit_record_default"), partitionsOf(auditId));

        List<Instant> created = Db.one("SELECT month_start, month_end FROM audit_month_partitions('2018-06-30 23:00+08')",
                rs -> List.of(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getObject(2, OffsetDateTime.class).toInstant()));
        assertEquals(List.of(OffsetDateTime.parse("2018-06-01T00:00+08:00").toInstant(), OffsetDateTime.parse("2018-07-01T00:00+08:00").toInstant()),
                created);
        assertEquals(List.of("audit_record_y2018m06"), partitionsOf(auditId), "moved, and stored once");
        assertNotNull(given().get("/api/v1/audits/" + auditId).then().statusCode(200)
                .body("response.decision", equalTo("PASS")).extract().path("createdAt"));
    }
}
