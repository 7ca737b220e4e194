package com.preaudit.interop;

import com.preaudit.audit.AuditService;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Stores interop feedback in the disposition table, committed before the caller answers. */
@ApplicationScoped
public class DispositionFeedbackRecorder implements FeedbackRecorder {

    private final AuditService audits;
    private final AgroalDataSource ds;

    public DispositionFeedbackRecorder(AuditService audits, AgroalDataSource ds) {
        this.audits = audits;
        this.ds = ds;
    }

    @Override
    public void record(List<FeedbackItem> items) {
        List<String> auditIds = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String auditId = audits.auditIdOfFinding(items.get(i).findingId()).orElse(null);
            if (auditId == null) {
                errors.add(new FieldError("/items/" + i + "/findingId", "unknown finding " + items.get(i).findingId()));
            }
            auditIds.add(auditId);
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("feedback names unknown findings; nothing was recorded", errors);
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO disposition(finding_id, audit_id, disposition, reason, by_user) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < items.size(); i++) {
                    FeedbackItem it = items.get(i);
                    ps.setObject(1, UUID.fromString(it.findingId()));
                    ps.setObject(2, UUID.fromString(auditIds.get(i)));
                    ps.setString(3, it.disposition());
                    ps.setString(4, it.reason());
                    ps.setString(5, it.by());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ApiException(503, "Service Unavailable", "the disposition could not be stored: " + e.getMessage());
        }
    }
}
