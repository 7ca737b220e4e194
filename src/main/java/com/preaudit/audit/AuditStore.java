package com.preaudit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.preaudit.platform.Jdbc;
import com.preaudit.platform.Json;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads stored audit records and their dispositions. */
@ApplicationScoped
public class AuditStore {

    // Stored requests are the bytes the HIS sent, which the API accepted with properties it ignores.
    private static final com.fasterxml.jackson.databind.ObjectMapper STORED = Json.MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Jdbc db;

    public AuditStore(AgroalDataSource ds, AuditConfig config) {
        this.db = new Jdbc(ds, "the audit store");
    }

    public record DispositionView(String findingId, String disposition, String reason, String by, OffsetDateTime at,
                                  String clientSubject) { }

    public record StoredAudit(String auditId, OffsetDateTime createdAt, String requestDigest, AuditRequest request,
                              AuditResponse response, List<DispositionView> dispositions, String clientSubject) { }

    static final String FIND_SQL = "SELECT created_at, request_digest, request, response, client_subject FROM audit_record WHERE audit_id = ?"
            + AuditPartitions.idWindow("created_at");

    public Optional<StoredAudit> find(String auditId) {
        UUID id = com.preaudit.platform.Ids.parseOrNull(auditId);
        if (id == null) {
            return Optional.empty();
        }
        return db.first(FIND_SQL, (c, ps) -> {
            ps.setObject(1, id);
            AuditPartitions.bindIdWindow(ps, 2, id);
        }, rs -> new StoredRow(rs.getObject(1, OffsetDateTime.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .map(r -> new StoredAudit(auditId, r.createdAt(), r.requestDigest(), Json.fromJson(STORED, r.request(), AuditRequest.class),
                        readResponse(r.response()), dispositions(id), r.clientSubject()));
    }

    /** audit_record's columns as stored, before the JSON is read. */
    private record StoredRow(OffsetDateTime createdAt, String requestDigest, String request, String response, String clientSubject) { }

    /** A stored answer (audit_record.response) as the API returns it. */
    public static AuditResponse readResponse(String json) {
        return Json.fromJson(STORED, json, AuditResponse.class);
    }

    /** A stored request (audit_record.request, exactly as received) read back as the API parsed it. */
    public static AuditRequest readRequest(String json) throws JsonProcessingException {
        return STORED.readValue(json, AuditRequest.class);
    }

    /** One stored audit to replay: its id, when it was answered, and the request text exactly as received. */
    public record StoredRequest(UUID auditId, OffsetDateTime createdAt, String request) { }

    private static final String PERIOD = " FROM audit_record WHERE created_at >= ? AND created_at < ? "
            + "AND (?::text IS NULL OR stage = ?) AND (?::text IS NULL OR scenario = ?)";

    /** How many audits were recorded in [start, end), of the stage and scenario when given. */
    public static long count(Connection c, OffsetDateTime start, OffsetDateTime end, String stage, String scenario) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*)" + PERIOD)) {
            bindPeriod(ps, start, end, stage, scenario);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The next {@code limit} audits of [start, end) after ({@code afterAt}, {@code afterId}) in (created_at, audit_id)
     * order (keyset paging: each page is an index range of its months, however far into the period it is; nothing
     * but the page is held in memory).
     */
    public static List<StoredRequest> page(Connection c, OffsetDateTime start, OffsetDateTime end, String stage, String scenario,
                                           OffsetDateTime afterAt, UUID afterId, int limit) throws SQLException {
        List<StoredRequest> out = new ArrayList<>(limit);
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, created_at, request" + PERIOD
                + " AND (created_at, audit_id) > (?, ?) ORDER BY created_at, audit_id LIMIT ?")) {
            int i = bindPeriod(ps, start, end, stage, scenario);
            ps.setObject(i++, afterAt);
            ps.setObject(i++, afterId);
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredRequest(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class), rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static int bindPeriod(PreparedStatement ps, OffsetDateTime start, OffsetDateTime end, String stage, String scenario)
            throws SQLException {
        ps.setObject(1, start);
        ps.setObject(2, end);
        ps.setString(3, stage);
        ps.setString(4, stage);
        ps.setString(5, scenario);
        ps.setString(6, scenario);
        return 7;
    }

    public String auditIdOfFinding(String findingId) {
        UUID id = com.preaudit.platform.Ids.parseOrNull(findingId);
        if (id == null) {
            return null;
        }
        return db.first("SELECT audit_id FROM audit_finding WHERE finding_id = ?" + AuditPartitions.idWindow("created_at"), (c, ps) -> {
            ps.setObject(1, id);
            AuditPartitions.bindIdWindow(ps, 2, id);
        }, rs -> rs.getString(1)).orElse(null);
    }

    /** What an audit search finds by: a patient id, a requestId, or either of them. */
    public enum SearchBy { PATIENT, REQUEST_ID, EITHER }

    /** One audit a search found, as its record's columns hold it. */
    public record Summary(String auditId, OffsetDateTime createdAt, String requestId, String stage, String decision, String patientId,
                          String departmentCode, String doctorId, int catalogVersion) { }

    /** The audits of [from, to) whose patient id or requestId is {@code value}, newest first, at most {@code limit}. */
    public List<Summary> search(String value, SearchBy by, OffsetDateTime from, OffsetDateTime to, int limit) {
        String where = switch (by) {
            case PATIENT -> "patient_id = ?";
            case REQUEST_ID -> "request_id = ?";
            case EITHER -> "(request_id = ? OR patient_id = ?)";
        };
        return db.list("SELECT audit_id, created_at, request_id, stage, decision, patient_id, department_code, doctor_id, catalog_version "
                + "FROM audit_record WHERE " + where + " AND created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT ?", (c, ps) -> {
                    int i = 1;
                    ps.setString(i++, value);
                    if (by == SearchBy.EITHER) {
                        ps.setString(i++, value);
                    }
                    ps.setObject(i++, from);
                    ps.setObject(i++, to);
                    ps.setInt(i, limit);
                }, rs -> new Summary(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)));
    }

    private List<DispositionView> dispositions(UUID auditId) {
        return db.list("SELECT finding_id, disposition, reason, by_user, created_at, client_subject FROM disposition "
                + "WHERE audit_id = ? ORDER BY created_at", (c, ps) -> ps.setObject(1, auditId),
                rs -> new DispositionView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getString(6)));
    }
}
