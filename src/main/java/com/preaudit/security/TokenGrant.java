package com.preaudit.security;

import io.quarkus.security.identity.SecurityIdentity;

import java.time.Instant;

/** What a verified PreAudit token grants until it expires: the identity a request carries. */
record TokenGrant(String id, SecurityIdentity identity, Instant expiresAt) {

    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
