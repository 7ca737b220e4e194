package com.preaudit.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A signed-in console user (table console_session, V60). Only the hash of the cookie's id is kept. */
@Entity
@Table(name = "console_session")
public class ConsoleSession extends PanacheEntityBase {

    @Id
    public String idHash;

    public String subject;

    /** Comma-separated role names. */
    public String roles;

    public String csrf;

    /** The id of the PreAudit token signed in with (null for an identity-provider sign-in). */
    public String credentialId;

    /** The name the header shows (the identity provider's "name" claim); null: the subject. */
    public String displayName;

    /** Opened through the identity provider: sign-out also sends the browser to the provider's end-session page. */
    public boolean viaIdentityProvider;

    public OffsetDateTime createdAt;

    public OffsetDateTime expiresAt;
}
