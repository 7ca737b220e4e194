package com.preaudit.console;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Turns the console's session cookie into the request's {@link SecurityIdentity}, so console pages are
 * guarded by {@code @RolesAllowed} with the same roles as the API. Only paths under /console are
 * looked at; an unknown or expired cookie leaves the request anonymous, and a console page that needs
 * a role then redirects to the sign-in page instead of answering 401.
 */
@ApplicationScoped
public class ConsoleAuthMechanism implements HttpAuthenticationMechanism {

    static final String COOKIE = "preaudit_console";
    static final String LOGIN = "/console/login";
    /** Identity attributes: the session's id hash (for sign-out) and CSRF token (for forms). */
    static final String ATTR_SESSION = "preaudit.console.session";
    static final String ATTR_CSRF = "preaudit.console.csrf";
    /** The name the header shows, and whether the session was opened at the identity provider. */
    static final String ATTR_DISPLAY_NAME = "preaudit.console.display-name";
    static final String ATTR_VIA_IDP = "preaudit.console.via-identity-provider";

    /** The session cookie's value, authenticated by {@link Provider}. */
    public static final class SessionRequest extends BaseAuthenticationRequest {
        final String value;

        SessionRequest(String value) {
            this.value = value;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!isConsole(context) || context.normalizedPath().startsWith("/console/assets/")) {
            return Uni.createFrom().nullItem();
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager
                .authenticate(HttpSecurityUtils.setRoutingContextAttribute(new SessionRequest(cookie.getValue()), context))
                // an ended session is not an error: the page asks for a sign-in (no redirect loop on /console/login)
                .onFailure().recoverWithNull();
    }

    /**
     * The API's challenge. Quarkus asks the mechanism it matched to the request (this one, asked first) for the
     * challenge and does not fall back to the next: answering "not mine" left API callers a bare 401 without the
     * problem+json body and the Bearer challenge.
     */
    @jakarta.inject.Inject
    com.preaudit.security.BearerAuthMechanism bearer;

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!isConsole(context)) {
            return bearer.getChallenge(context);
        }
        return Uni.createFrom().item(new ChallengeData(303, "Location", LOGIN));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!isConsole(context)) {
            return bearer.sendChallenge(context);
        }
        context.response().setStatusCode(303).putHeader("Location", LOGIN).putHeader("Cache-Control", "no-store");
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionRequest.class);
    }

    @Override
    public int getPriority() {
        // asked before the Bearer mechanism, so a console page's challenge is a redirect, not a 401
        return DEFAULT_PRIORITY + 1000;
    }

    static boolean isConsole(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals("/console") || path.startsWith("/console/");
    }

    /** Looks the session up in the database (blocking, so off the event loop). */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<SessionRequest> {

        private final ConsoleSessions sessions;

        public Provider(ConsoleSessions sessions) {
            this.sessions = sessions;
        }

        @Override
        public Class<SessionRequest> getRequestType() {
            return SessionRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> sessions.find(request.value).map(s -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(s.subject()))
                    .addRoles(s.roles())
                    .addAttribute(ATTR_SESSION, s.idHash())
                    .addAttribute(ATTR_CSRF, s.csrf())
                    .addAttribute(ATTR_DISPLAY_NAME, s.displayName())
                    .addAttribute(ATTR_VIA_IDP, s.viaIdentityProvider())
                    .build()).orElse(null));
        }
    }
}
