package com.preaudit.support;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Callers for the tests until the identity branch's credentials are merged (BRIEF: "check git log identity").
 * A request without an Authorization header is the admin {@code test-admin} (what the identity branch's JUnit
 * extension gives every request); {@link #as} names another subject and its roles. It steps aside as soon as the
 * application has an authentication mechanism of its own (the identity branch's), so it never weakens one:
 * then {@link #as} should mint real tokens through that branch's helper.
 */
@ApplicationScoped
public class TestCallers implements HttpAuthenticationMechanism {

    static final String HEADER = "X-Test-Caller";

    @Inject
    @Any
    Instance<HttpAuthenticationMechanism> mechanisms;

    private volatile Boolean alone;

    /** A request made by {@code subject} holding {@code roles}. */
    public static RequestSpecification as(String subject, String... roles) {
        return RestAssured.given().header(HEADER, subject + "=" + String.join(",", roles));
    }

    private boolean alone() {
        Boolean a = alone;
        if (a == null) {
            a = mechanisms.stream().allMatch(m -> m instanceof TestCallers);
            alone = a;
        }
        return a;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!alone() || context.request().getHeader("Authorization") != null) {
            return Uni.createFrom().nullItem();
        }
        String caller = context.request().getHeader(HEADER);
        String subject = "test-admin";
        Set<String> roles = Set.of("admin", "rule-publisher", "rule-author", "analyst", "audit-client");
        if (caller != null) {
            int eq = caller.indexOf('=');
            subject = eq < 0 ? caller : caller.substring(0, eq);
            roles = eq < 0 || eq == caller.length() - 1 ? Set.of() : Set.of(caller.substring(eq + 1).split(","));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(subject)).addRoles(roles).build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

}
