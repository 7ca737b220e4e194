package com.preaudit.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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

    public String patientId;

    public String ruleCode;

    public String itemCode;

    public LocalDate validFrom;

    public LocalDate validTo;

    public String reason;

    public String approvalNo;

    public String grantedBy;

    public OffsetDateTime grantedAt;

    public String revokedBy;

    public OffsetDateTime revokedAt;

    /** Not revoked and {@code day} within validFrom..validTo (inclusive). */
    public boolean activeOn(LocalDate day) {
        return revokedAt == null && !day.isBefore(validFrom) && !day.isAfter(validTo);
    }
}
