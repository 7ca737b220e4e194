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
 * Turns a bearer value into an identity. A verdict the cache holds is answered on the calling (I/O)
 * thread; only a value the cache cannot answer goes to a worker thread to ask the database, so an
 * audit with a known token costs a digest and a map lookup.
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    @Inject
    BearerVerifier verifier;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String value = request.getToken().getToken();
        Optional<Optional<SecurityIdentity>> cached = verifier.verifyCached(value);
        if (cached.isPresent()) {
            return cached.get().map(i -> Uni.createFrom().item(i))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }
        return context.runBlocking(() -> verifier.verify(value).orElseThrow(AuthenticationFailedException::new));
    }
}
