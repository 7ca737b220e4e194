package com.preaudit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The hospital's identity provider (PRODUCT.md §10): {@code preaudit.auth.oidc.*}, read by the API's JWT check
 * ({@link OidcVerifier}) and the console's sign-in ({@link OidcClient}). Off unless issuer and JWKS are set; the
 * console's button also needs the client id.
 */
@ConfigMapping(prefix = "preaudit.auth.oidc")
public interface OidcConfig {

    /** The provider's issuer ({@code iss} of its tokens; its discovery document is read from here). */
    Optional<String> issuer();

    /** Its signing keys: an https URL or a {@code file:} path. */
    Optional<String> jwks();

    /** When set, an API token's {@code aud} must contain it. */
    Optional<String> audience();

    /** The claim that carries the roles; a dotted path such as {@code realm_access.roles} works. */
    @WithDefault("groups")
    String rolesClaim();

    /** The console's client at the provider (authorization code flow). */
    Optional<String> clientId();

    /** Its secret, for a confidential client. */
    Optional<String> clientSecret();

    /** Scopes asked for at sign-in; {@code openid} is always among them. */
    @WithDefault("openid")
    String scope();

    /** Overrides of the endpoints the discovery document gives. */
    Optional<String> authorizationEndpoint();

    Optional<String> tokenEndpoint();

    Optional<String> endSessionEndpoint();
}
