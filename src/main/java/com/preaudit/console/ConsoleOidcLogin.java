package com.preaudit.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A sign-in on its way through the identity provider (table console_oidc_login, V61). */
@Entity
@Table(name = "console_oidc_login")
public class ConsoleOidcLogin extends PanacheEntityBase {

    @Id
    @Column(name = "state_hash")
    public String stateHash;

    @Column(name = "browser_hash", nullable = false)
    public String browserHash;

    @Column(nullable = false)
    public String nonce;

    @Column(name = "code_verifier", nullable = false)
    public String codeVerifier;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;
}
