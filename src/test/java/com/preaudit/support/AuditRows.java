package com.preaudit.support;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/**
 * Audit records, findings and dispositions written straight into their tables in JDBC batches, for the statistics
 * tests that need many audits in a month of their own (through the API they would take minutes and all land today).
 * Every record is an OUTPATIENT audit of catalog version 1; a finding's columns a test does not set stay null (not
 * SHADOW, not exempted). Nothing is visible before {@link #commit}.
 */
public final class AuditRows implements AutoCloseable {

    private final Connection c;
    private final PreparedStatement record;
    private final PreparedStatement finding;
    private final PreparedStatement disposition;

    public AuditRows(DataSource ds) throws SQLException {
        c = ds.getConnection();
        c.setAutoCommit(false);
        record = c.prepareStatement("INSERT INTO audit_record(audit_id, created_at, stage, scenario, catalog_version, decision, "
                + "patient_id, department_code, doctor_id, elapsed_micros, degraded, request_digest, request, response) "
                + "VALUES (?,?,?,'OUTPATIENT',1,?,?,?,?,100,false,'x','{}','{}')");
        finding = c.prepareStatement("INSERT INTO audit_finding(finding_id, audit_id, created_at, stage, rule_code, rule_name, action, "
                + "result_type, department_code, doctor_id, item_codes, amount_at_risk, line_ids, line_item_codes, line_item_names, "
                + "line_amounts, department_name, doctor_name, shadow, exemption_id) "
                + "VALUES (?,?,?,?,?,?,?,'VIOLATION',?,?,?,?,?,?,?,?,?,?,?,?)");
        disposition = c.prepareStatement("INSERT INTO disposition(finding_id, audit_id, disposition, reason, by_user, created_at) "
                + "VALUES (?,?,?,?,'u',?)");
    }

    public void record(UUID auditId, Timestamp at, String stage, String decision, String patientId, String department, String doctor)
            throws SQLException {
        add(record, auditId, at, stage, decision, patientId, department, doctor);
    }

    /** A VIOLATION finding of this audit; set what else it carries on the answer, then {@link Finding#add}. */
    public Finding finding(UUID findingId, UUID auditId, Timestamp at, String stage, String rule, String ruleName, String action) {
        return new Finding(findingId, auditId, at, stage, rule, ruleName, action);
    }

    public void disposition(UUID findingId, UUID auditId, String kind, String reason, Timestamp at) throws SQLException {
        add(disposition, findingId, auditId, kind, reason, at);
    }

    /** Binds the values to the statement's parameters in order and adds the row to its batch. */
    private static void add(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        ps.addBatch();
    }

    /** Writes the batches (records first) and commits them. */
    public void commit() throws SQLException {
        record.executeBatch();
        finding.executeBatch();
        disposition.executeBatch();
        c.commit();
    }

    @Override
    public void close() throws SQLException {
        try (c; record; finding; disposition) {
            // closes the statements, then the connection (an uncommitted batch is dropped)
        }
    }

    /** One finding row being put together. */
    public final class Finding {
        private final UUID id;
        private final UUID auditId;
        private final Timestamp at;
        private final String stage;
        private final String rule;
        private final String ruleName;
        private final String action;
        private String department;
        private String doctor;
        private List<String> itemCodes;
        private BigDecimal amountAtRisk;
        private List<String> lineIds;
        private List<String> lineItemCodes;
        private List<String> lineItemNames;
        private List<BigDecimal> lineAmounts;
        private String departmentName;
        private String doctorName;
        private boolean shadow;
        private UUID exemptionId;

        private Finding(UUID id, UUID auditId, Timestamp at, String stage, String rule, String ruleName, String action) {
            this.id = id;
            this.auditId = auditId;
            this.at = at;
            this.stage = stage;
            this.rule = rule;
            this.ruleName = ruleName;
            this.action = action;
        }

        /** The department and doctor codes the statistics group by. */
        public Finding by(String departmentCode, String doctorId) {
            department = departmentCode;
            doctor = doctorId;
            return this;
        }

        /** The department and doctor names the finding was recorded with. */
        public Finding names(String departmentName, String doctorName) {
            this.departmentName = departmentName;
            this.doctorName = doctorName;
            return this;
        }

        /** The item codes flagged and the money at risk (item_codes, amount_at_risk). */
        public Finding items(List<String> codes, BigDecimal amount) {
            itemCodes = codes;
            amountAtRisk = amount;
            return this;
        }

        /** The flagged lines (V30): ids, item codes, item names and amounts, one entry a line. */
        public Finding lines(List<String> ids, List<String> codes, List<String> names, List<BigDecimal> amounts) {
            lineIds = ids;
            lineItemCodes = codes;
            lineItemNames = names;
            lineAmounts = amounts;
            return this;
        }

        public Finding shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        public Finding exemption(UUID exemptionId) {
            this.exemptionId = exemptionId;
            return this;
        }

        /** Adds the row to the batch. */
        public void add() throws SQLException {
            AuditRows.add(finding, id, auditId, at, stage, rule, ruleName, action, department, doctor, array("text", itemCodes),
                    amountAtRisk, array("text", lineIds), array("text", lineItemCodes), array("text", lineItemNames),
                    array("numeric", lineAmounts), departmentName, doctorName, shadow, exemptionId);
        }

        private java.sql.Array array(String type, List<?> values) throws SQLException {
            return values == null ? null : c.createArrayOf(type, values.toArray());
        }
    }
}
