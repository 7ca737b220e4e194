package com.preaudit.platform;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who is calling: the subject of the request's credential, as stored beside what it did (change log,
 * dispositions, audit records). Work that runs without a request (first-start import, retention) uses
 * {@link #SYSTEM}.
 */
@RequestScoped
public class Caller {

    /** The subject of work the service does on its own: the first-start import, scheduled retention. */
    public static final String SYSTEM = "system";
    /** The subject of a request that carried no credential (only where an endpoint is open). */
    public static final String ANONYMOUS = "anonymous";

    @Inject
    SecurityIdentity identity;

    public String subject() {
        if (identity == null || identity.isAnonymous() || identity.getPrincipal() == null) {
            return ANONYMOUS;
        }
        return identity.getPrincipal().getName();
    }

    public boolean hasRole(String role) {
        return identity != null && identity.hasRole(role);
    }
}
