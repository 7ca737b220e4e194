package com.preaudit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The one door through which a bearer value becomes an identity: PreAudit tokens and, when
 * configured, the hospital's OIDC JWTs (PRODUCT.md §10). Quarkus security asks it for every request
 * that carries one; the console calls {@link #verify} when a user signs in with a value.
 */
@ApplicationScoped
public class BearerVerifier implements IdentityProvider<TokenAuthenticationRequest> {

    @Inject
    TokenVerifier tokens;

    @Inject
    OidcVerifier oidc;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * A verdict the cache holds is answered on the calling (I/O) thread; only a value the cache cannot
     * answer goes to a worker thread to ask the database, so an audit with a known token costs a digest
     * and a map lookup.
     */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String value = request.getToken().getToken();
        Optional<Optional<SecurityIdentity>> cached = verifyCached(value);
        if (cached.isPresent()) {
            return cached.get().map(i -> Uni.createFrom().item(i))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }
        return context.runBlocking(() -> verify(value).orElseThrow(AuthenticationFailedException::new));
    }

    /**
     * The identity of a bearer value, or empty when it is not a live credential (unknown, malformed,
     * expired, revoked, or signed by no trusted key). Blocking: may ask the database.
     */
    public Optional<SecurityIdentity> verify(String bearerValue) {
        if (bearerValue == null || bearerValue.isBlank()) {
            return Optional.empty();
        }
        String value = bearerValue.strip();
        if (looksLikeJwt(value) && oidc.enabled()) {
            return oidc.verify(value);
        }
        return tokens.verifyBlocking(value).map(TokenGrant::identity);
    }

    /** A compact JWS has three dot-separated parts; PreAudit tokens (pa_ + base64url) have none. */
    static boolean looksLikeJwt(String value) {
        int first = value.indexOf('.');
        return first > 0 && value.indexOf('.', first + 1) > first && value.indexOf('.', value.indexOf('.', first + 1) + 1) < 0;
    }

    /**
     * What can be answered without blocking: empty when {@link #verify} must be called on a worker
     * thread; otherwise the verdict (an empty identity for a refused value).
     */
    private Optional<Optional<SecurityIdentity>> verifyCached(String bearerValue) {
        String value = bearerValue.strip();
        if (looksLikeJwt(value) && oidc.enabled()) {
            // only verified tokens are remembered: anything else goes to a worker thread for the signature check
            return oidc.cached(value).map(Optional::of);
        }
        return tokens.cached(value).map(g -> g.map(TokenGrant::identity));
    }
}
