package com.preaudit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Verifies a CDS Client's JWT on a worker thread (the client's JWKS may have to be fetched). */
@ApplicationScoped
public class CdsClientIdentityProvider implements IdentityProvider<CdsClientRequest> {

    @Inject
    CdsClientVerifier verifier;

    @Override
    public Class<CdsClientRequest> getRequestType() {
        return CdsClientRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CdsClientRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> verifier.verify(request.jwt(), request.audiences())
                .orElseThrow(AuthenticationFailedException::new));
    }
}
