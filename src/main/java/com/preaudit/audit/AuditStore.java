package com.preaudit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.preaudit.catalog.CatalogJson;
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
    private static final com.fasterxml.jackson.databind.ObjectMapper STORED = CatalogJson.JSON.copy()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final AgroalDataSource ds;

    public AuditStore(AgroalDataSource ds, AuditConfig config) {
        this.ds = ds;
    }

    public record DispositionView(String findingId, String disposition, String reason, String by, OffsetDateTime at) { }

    public record StoredAudit(String auditId, OffsetDateTime createdAt, String requestDigest, AuditRequest request,
                              AuditResponse response, List<DispositionView> dispositions) { }

    static final String FIND_SQL = "SELECT created_at, request_digest, request, response FROM audit_record WHERE audit_id = ?"
            + AuditPartitions.idWindow("created_at");

    public Optional<StoredAudit> find(String auditId) {
        UUID id;
        try {
            id = UUID.fromString(auditId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(FIND_SQL)) {
            ps.setObject(1, id);
            AuditPartitions.bindIdWindow(ps, 2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAudit(auditId, rs.getObject(1, OffsetDateTime.class), rs.getString(2),
                        STORED.readValue(rs.getString(3), AuditRequest.class),
                        STORED.readValue(rs.getString(4), AuditResponse.class), dispositions(c, id)));
            }
        } catch (SQLException e) {
            throw new com.preaudit.platform.StorageException("the audit store", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored answer (audit_record.response) as the API returns it. */
    public static AuditResponse readResponse(String json) {
        try {
            return STORED.readValue(json, AuditResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String auditIdOfFinding(String findingId) {
        UUID id;
        try {
            id = UUID.fromString(findingId);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT audit_id FROM audit_finding WHERE finding_id = ?" + AuditPartitions.idWindow("created_at"))) {
            ps.setObject(1, id);
            AuditPartitions.bindIdWindow(ps, 2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new com.preaudit.platform.StorageException("the audit store", e);
        }
    }

    private static List<DispositionView> dispositions(Connection c, UUID auditId) throws SQLException {
        List<DispositionView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT finding_id, disposition, reason, by_user, created_at FROM disposition "
                + "WHERE audit_id = ? ORDER BY created_at")) {
            ps.setObject(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DispositionView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class)));
                }
            }
        }
        return out;
    }
}
