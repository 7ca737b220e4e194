package com.preaudit.security;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CDS Clients this service trusts (PRODUCT.md §10, CDS Hooks 2.0 security):
 * {@code preaudit.cds-hooks.clients.<name>.issuer|jwks|tenants} and {@code preaudit.cds-hooks.base-url}.
 */
@ConfigMapping(prefix = "preaudit.cds-hooks")
public interface CdsClientsConfig {

    /** Trusted CDS Clients by name (the name becomes the subject of their calls). */
    Map<String, Client> clients();

    /**
     * The public base URL of this service as CDS Clients call it (the {@code aud} they sign); when
     * absent it is derived from the request, honouring X-Forwarded-Proto/Host/Prefix.
     */
    Optional<String> baseUrl();

    interface Client {
        /** The client's {@code iss}. */
        String issuer();

        /** Its JSON Web Key Set: an https URL, or a {@code file:} path. */
        String jwks();

        /** When set, the JWT's {@code tenant} claim must be one of these. */
        Optional<List<String>> tenants();
    }
}
