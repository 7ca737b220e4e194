package com.preaudit.console;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A sign-in on its way through the identity provider (table console_oidc_login, V61). */
@Entity
@Table(name = "console_oidc_login")
public class ConsoleOidcLogin extends PanacheEntityBase {

    @Id
    public String stateHash;

    public String browserHash;

    public String nonce;

    public String codeVerifier;

    public OffsetDateTime createdAt;

    public OffsetDateTime expiresAt;
}
