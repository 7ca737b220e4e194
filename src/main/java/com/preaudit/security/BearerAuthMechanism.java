package com.preaudit.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code Authorization: Bearer <value>} on every protected path (PRODUCT.md §10). No header: the
 * request is anonymous and the path's policy answers 401; any other scheme or an empty value: 401.
 * The value itself is checked by {@link BearerVerifier}.
 */
@ApplicationScoped
public class BearerAuthMechanism implements HttpAuthenticationMechanism {

    static final String SCHEME = "Bearer";
    static final String CDS_SERVICES = "/cds-services";

    @Inject
    CdsClientVerifier cdsClients;

    @Inject
    CdsClientsConfig cdsConfig;
    private static final ChallengeData CHALLENGE = new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, SCHEME);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String value = bearerValue(header);
        if (value == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        String path = context.normalizedPath();
        if (path.startsWith(CDS_SERVICES) && cdsClients.enabled() && BearerVerifier.looksLikeJwt(value)
                && cdsClients.isClientToken(value)) {
            CdsClientRequest cds = new CdsClientRequest(value, audiences(context, path));
            HttpSecurityUtils.setRoutingContextAttribute(cds, context);
            return identityProviderManager.authenticate(cds);
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential(value, "bearer"));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    /**
     * The {@code aud} values a CDS Client may sign for this call: the URL called (the feedback endpoint
     * also accepts its service's URL), on {@code preaudit.cds-hooks.base-url} or, when that is not set,
     * on the base the request shows, honouring X-Forwarded-Proto/Host/Prefix (a TLS proxy in front).
     */
    List<String> audiences(RoutingContext context, String path) {
        String base = cdsConfig.baseUrl().map(String::strip).filter(b -> !b.isEmpty()).orElseGet(() -> {
            String proto = first(context.request().getHeader("X-Forwarded-Proto"), context.request().scheme());
            String host = first(context.request().getHeader("X-Forwarded-Host"), context.request().getHeader("Host"));
            String prefix = first(context.request().getHeader("X-Forwarded-Prefix"), "");
            return proto + "://" + host + prefix;
        });
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        List<String> out = new ArrayList<>(2);
        out.add(base + path);
        if (path.endsWith("/feedback")) {
            out.add(base + path.substring(0, path.length() - "/feedback".length()));
        }
        return out;
    }

    private static String first(String header, String fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }

    /** The value of a {@code Bearer} header, or null when the header is some other scheme or empty. */
    static String bearerValue(String header) {
        if (header.length() <= SCHEME.length() + 1 || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        String value = header.substring(SCHEME.length() + 1).strip();
        return value.isEmpty() ? null : value;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    /** The challenge with the same problem+json body as every other 401 (the default sends none). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        AuthFailures.send(context.response(), 401, AuthFailures.UNAUTHORIZED);
        return Uni.createFrom().item(Boolean.TRUE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, CdsClientRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
