package com.preaudit.support;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Tests only, and only until the identity branch (roles and credentials) is merged. New endpoints carry
 * {@code @RolesAllowed} (BRIEF), but main has no authentication mechanism yet, so every test request would be an
 * anonymous 403. While this is the only {@link HttpAuthenticationMechanism}, a test request without an
 * {@code Authorization} header acts as a test admin. Once the identity branch's mechanism is there (its JUnit
 * extension gives every test request an admin token), this authenticates nobody and never answers a challenge,
 * so the real checks' tests are unaffected; delete it then.
 */
@ApplicationScoped
public class TestAdminUntilIdentity implements HttpAuthenticationMechanism {

    private volatile Boolean alone;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!alone() || context.request().getHeader("Authorization") != null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("test-admin"))
                .addRoles(Set.copyOf(com.preaudit.platform.Roles.ALL))
                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().optional(java.util.Optional.empty());
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return Integer.MIN_VALUE;   // after every real mechanism
    }

    private boolean alone() {
        Boolean a = alone;
        if (a == null) {
            a = true;
            for (InstanceHandle<HttpAuthenticationMechanism> h : Arc.container().listAll(HttpAuthenticationMechanism.class)) {
                if (!(h.get() instanceof TestAdminUntilIdentity)) {
                    a = false;
                }
            }
            alone = a;
        }
        return a;
    }
}
