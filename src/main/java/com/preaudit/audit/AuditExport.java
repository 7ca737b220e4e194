package com.preaudit.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.preaudit.catalog.CatalogJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.zip.GZIPOutputStream;

/**
 * A month's audit records as gzip JSON lines, streamed from a cursor: one line per audit with its stored columns and the
 * request and answer exactly as stored (the answer holds the findings). The month is China Standard Time, as the
 * partitions are, so an export covers exactly the partition retention would drop.
 */
@ApplicationScoped
public class AuditExport {

    private static final String SQL = "SELECT audit_id, request_id, created_at, stage, scenario, catalog_version, decision, patient_id, "
            + "encounter_id, department_code, doctor_id, elapsed_micros, degraded, request_digest, request, response "
            + "FROM audit_record WHERE created_at >= ? AND created_at < ? ORDER BY created_at, audit_id";

    private final AgroalDataSource ds;

    public AuditExport(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Writes the month's records to {@code out} (gzip, one JSON object a line); returns how many. */
    public long write(YearMonth month, OutputStream out) throws IOException {
        OffsetDateTime from = month.atDay(1).atStartOfDay(AuditRetention.MONTHS).toOffsetDateTime();
        OffsetDateTime to = month.plusMonths(1).atDay(1).atStartOfDay(AuditRetention.MONTHS).toOffsetDateTime();
        long n = 0;
        GZIPOutputStream gzip = new GZIPOutputStream(out, 65536);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false); // a cursor: rows are fetched 500 at a time, never the month in memory
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setFetchSize(500);
                ps.setObject(1, from);
                ps.setObject(2, to);
                try (ResultSet rs = ps.executeQuery();
                     JsonGenerator g = CatalogJson.JSON.getFactory().createGenerator(gzip)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    while (rs.next()) {
                        g.writeStartObject();
                        g.writeStringField("auditId", rs.getString(1));
                        g.writeStringField("requestId", rs.getString(2));
                        g.writeStringField("createdAt", rs.getObject(3, OffsetDateTime.class).toString());
                        g.writeStringField("stage", rs.getString(4));
                        g.writeStringField("scenario", rs.getString(5));
                        g.writeNumberField("catalogVersion", rs.getLong(6));
                        g.writeStringField("decision", rs.getString(7));
                        g.writeStringField("patientId", rs.getString(8));
                        g.writeStringField("encounterId", rs.getString(9));
                        g.writeStringField("departmentCode", rs.getString(10));
                        g.writeStringField("doctorId", rs.getString(11));
                        g.writeNumberField("elapsedMicros", rs.getLong(12));
                        g.writeBooleanField("degraded", rs.getBoolean(13));
                        g.writeStringField("requestDigest", rs.getString(14));
                        g.writeFieldName("request");
                        g.writeRawValue(rs.getString(15));
                        g.writeFieldName("response");
                        g.writeRawValue(rs.getString(16));
                        g.writeEndObject();
                        g.writeRaw('\n');
                        n++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            // the answer has begun: the caller sees a truncated gzip stream, which no gunzip takes for complete
            throw new UncheckedIOException(new IOException("export of " + month + " failed: " + e.getMessage(), e));
        }
        gzip.finish();
        gzip.flush();
        return n;
    }
}
