package com.preaudit.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An exemption (特批/备案, PRODUCT.md §11): while valid, a finding of {@code ruleCode} for the patient (and the
 * item, when given) is answered as a notice carrying the exemption's id and leaves the decision. Revoking keeps
 * the row with who revoked it and when.
 */
@Entity
@Table(name = "exemption")
public class Exemption extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "patient_id", nullable = false)
    public String patientId;

    @Column(name = "rule_code", nullable = false)
    public String ruleCode;

    @Column(name = "item_code")
    public String itemCode;

    @Column(name = "valid_from", nullable = false)
    public LocalDate validFrom;

    @Column(name = "valid_to", nullable = false)
    public LocalDate validTo;

    @Column(nullable = false)
    public String reason;

    @Column(name = "approval_no")
    public String approvalNo;

    @Column(name = "granted_by", nullable = false)
    public String grantedBy;

    @Column(name = "granted_at", nullable = false)
    public OffsetDateTime grantedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    /** Not revoked and {@code day} within validFrom..validTo (inclusive). */
    public boolean activeOn(LocalDate day) {
        return revokedAt == null && !day.isBefore(validFrom) && !day.isAfter(validTo);
    }
}
