package com.preaudit.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A signed-in console user (table console_session, V60). Only the hash of the cookie's id is kept. */
@Entity
@Table(name = "console_session")
public class ConsoleSession extends PanacheEntityBase {

    @Id
    @Column(name = "id_hash")
    public String idHash;

    @Column(nullable = false)
    public String subject;

    /** Comma-separated role names. */
    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public String csrf;

    /** The id of the PreAudit token signed in with (null for an identity-provider sign-in). */
    @Column(name = "credential_id")
    public String credentialId;

    /** The name the header shows (the identity provider's "name" claim); null: the subject. */
    @Column(name = "display_name")
    public String displayName;

    /** Opened through the identity provider: sign-out also sends the browser to the provider's end-session page. */
    @Column(name = "via_identity_provider", nullable = false)
    public boolean viaIdentityProvider;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;
}
