package com.preaudit.security;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A PreAudit token as stored: its digest, never its value (PRODUCT.md §10). */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    @Id
    public String id;

    public String tokenHash;

    public String subject;

    /** Role names separated by commas (the five of {@link com.preaudit.platform.Roles}). */
    public String roles;

    public String note;

    public OffsetDateTime createdAt;

    public String createdBy;

    public OffsetDateTime expiresAt;

    public OffsetDateTime revokedAt;

    public String revokedBy;

    public List<String> roleList() {
        return roles.isEmpty() ? List.of() : Arrays.asList(roles.split(","));
    }
}
