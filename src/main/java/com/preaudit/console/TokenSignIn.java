package com.preaudit.console;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * Checks a PreAudit token typed into the console's sign-in form and gives its identity (subject and
 * roles), exactly as the API would for {@code Authorization: Bearer <token>}.
 */
public interface TokenSignIn {

    Optional<SecurityIdentity> verify(String token);
}
