package com.preaudit.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import com.preaudit.security.BearerVerifier;
import com.preaudit.security.OidcClient;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Optional;

/**
 * Console sign-in and sign-out (PRODUCT.md §12): with a PreAudit token posted in a form (never put in a URL or a
 * log), or, when {@code preaudit.auth.oidc.*} names a client, through the hospital's identity provider (OpenID
 * Connect authorization code flow with PKCE, {@link OidcClient}).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    static final String LOGIN_COOKIE = "preaudit_console_login";
    /**
     * Binds a sign-in through the identity provider to the browser that started it (see {@link OidcLogins}): one cookie
     * per sign-in under way, named after its state, so that a sign-in started in a second tab does not overwrite the
     * first tab's and make its return fail.
     */
    static final String OIDC_COOKIE = "preaudit_console_oidc";
    static final String OIDC_CALLBACK = "/console/oidc/callback";

    /** Why a sign-in through the identity provider failed, as the sign-in page says it (the key travels in its URL). */
    static final java.util.Map<String, String> OIDC_FAILURES = java.util.Map.of(
            "state", "登录请求已失效或已被使用，未登录。请点击下方按钮重新登录。",
            "cancelled", "您在统一身份认证页面取消了登录。",
            "idp", "统一身份认证服务没有完成这次登录，未登录。请重试，或联系信息科。",
            "refused", "统一身份认证服务返回的登录凭据未通过校验，未登录。",
            "unavailable", "暂时无法连接医院统一身份认证服务，请稍后重试，或使用 PreAudit 令牌登录。",
            "role", "您的统一身份认证账号没有控制台角色（rule-author、rule-publisher、analyst 或 admin），请联系医保科管理员开通。");

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance login(String error, String loginCsrf, boolean oidc);

        static native TemplateInstance signedIn(String next);

        static native TemplateInstance error(String message);
    }

    private final ConsoleSessions sessions;
    private final BearerVerifier verifier;
    private final ConsoleUser user;
    private final OidcClient oidc;
    private final OidcLogins oidcLogins;
    private final Optional<String> baseUrl;

    public ConsoleResource(ConsoleSessions sessions, BearerVerifier verifier, ConsoleUser user, OidcClient oidc,
                           OidcLogins oidcLogins, @ConfigProperty(name = "preaudit.console.base-url") Optional<String> baseUrl) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.user = user;
        this.oidc = oidc;
        this.oidcLogins = oidcLogins;
        this.baseUrl = baseUrl.map(String::strip).filter(b -> !b.isEmpty());
    }

    @GET
    public Response root() {
        if (!user.signedIn()) {
            return see(ConsoleAuthMechanism.LOGIN);
        }
        String home = user.home();
        return home == null ? Response.status(403).entity(Templates.error("您的角色没有可用的控制台页面。")).build() : see(home);
    }

    @GET
    @Path("/login")
    public Response loginPage(@QueryParam("failed") String failed, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (user.signedIn() && user.home() != null) {
            return see(user.home());
        }
        // only the fixed messages: a crafted link cannot put its own words on the sign-in page
        return loginForm(200, failed == null ? null : OIDC_FAILURES.get(failed), uri, headers);
    }

    /** The button "通过医院统一身份认证登录": off to the identity provider with a new state, nonce and PKCE challenge. */
    @GET
    @Path("/login/oidc")
    public Response startOidc(@Context UriInfo uri, @Context HttpHeaders headers) {
        if (!oidc.enabled()) {
            return see(ConsoleAuthMechanism.LOGIN);
        }
        OidcLogins.Started started = oidcLogins.start();
        String url;
        try {
            url = oidc.authorizationUrl(publicBase(uri, headers) + OIDC_CALLBACK, started.state(), started.nonce(), started.codeChallenge());
        } catch (OidcClient.Unavailable e) {
            return failed("unavailable", null, uri, headers);
        }
        // Lax, not Strict: the identity provider sends the browser back with a cross-site navigation, and a
        // Strict cookie would not come with it. HttpOnly, ten minutes, and only for the callback's path.
        NewCookie cookie = new NewCookie.Builder(oidcCookie(started.state())).value(started.browserValue()).path("/console/oidc")
                .httpOnly(true).secure(secure(uri, headers)).sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) OidcLogins.LIFETIME.toSeconds()).build();
        return Response.seeOther(URI.create(url)).cookie(cookie).header("Cache-Control", "no-store").build();
    }

    /**
     * The identity provider's redirect back: take the sign-in the state names (once, and only in the browser that
     * started it), exchange the code, verify the ID token and its nonce, and open a console session. Any failure
     * leads to the sign-in page with a Chinese message and signs nobody in; the code never leaves this request.
     */
    @GET
    @Path("/oidc/callback")
    public Response oidcCallback(@QueryParam("code") String code, @QueryParam("state") String state,
                                 @QueryParam("error") String error, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (!oidc.enabled()) {
            return see(ConsoleAuthMechanism.LOGIN);
        }
        Cookie browserCookie = state == null ? null : headers.getCookies().get(oidcCookie(state));
        Optional<OidcLogins.Pending> pending = oidcLogins.take(state, browserCookie == null ? null : browserCookie.getValue());
        if (error != null) {
            return failed("access_denied".equals(error) ? "cancelled" : "idp", state, uri, headers);
        }
        if (pending.isEmpty() || code == null || code.isBlank() || code.length() > 4096) {
            return failed("state", state, uri, headers);
        }
        Optional<SecurityIdentity> identity;
        try {
            identity = oidc.exchange(code, pending.get().codeVerifier(), publicBase(uri, headers) + OIDC_CALLBACK, pending.get().nonce());
        } catch (OidcClient.Unavailable e) {
            return failed("unavailable", state, uri, headers);
        }
        if (identity.isEmpty()) {
            return failed("refused", state, uri, headers);
        }
        if (!consoleRole(identity.get())) {
            return failed("role", state, uri, headers);
        }
        ConsoleSessions.Created created = sessions.create(identity.get(), true);
        // The session cookie is SameSite=Strict, and this response ends a navigation the identity provider (another
        // site) started: the browser would not send the cookie on a redirect of the same chain. This small page
        // moves on to /console by a navigation of our own site, which does carry it.
        return Response.ok(Templates.signedIn("/console")).type(ConsolePages.HTML)
                .cookie(sessionCookie(created, uri, headers), expired(oidcCookie(state), "/console/oidc", uri, headers))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    /** The name of the cookie of the sign-in with this state (see {@link #OIDC_COOKIE}). */
    static String oidcCookie(String state) {
        return OIDC_COOKIE + "_" + ConsoleSessions.hash(state).substring(0, 16);
    }

    /** Back to the sign-in page saying why; the sign-in's cookie (when its state is known) is removed. */
    private Response failed(String why, String state, UriInfo uri, HttpHeaders headers) {
        Response.ResponseBuilder r = Response.seeOther(URI.create(ConsoleAuthMechanism.LOGIN + "?failed=" + why));
        if (state != null) {
            r.cookie(expired(oidcCookie(state), "/console/oidc", uri, headers));
        }
        return r.header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    /**
     * The console's public base URL as the browser and the identity provider know it: {@code preaudit.console.base-url},
     * else the request's, honouring X-Forwarded-Proto/Host (a TLS proxy in front). The provider checks the redirect
     * URI built on it against the ones registered for the client, so a forged Host header gains nothing.
     */
    private String publicBase(UriInfo uri, HttpHeaders headers) {
        if (baseUrl.isPresent()) {
            String b = baseUrl.get();
            return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        }
        String proto = first(headers.getHeaderString("X-Forwarded-Proto"), uri.getRequestUri().getScheme());
        String host = first(headers.getHeaderString("X-Forwarded-Host"), headers.getHeaderString(HttpHeaders.HOST));
        if (host == null) {
            host = uri.getRequestUri().getAuthority();
        }
        return proto + "://" + host;
    }

    private static String first(String header, String fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }

    private static boolean consoleRole(SecurityIdentity id) {
        for (String r : ConsoleUser.CATALOG_READERS) {
            if (id.hasRole(r)) {
                return true;
            }
        }
        return false;
    }

    private NewCookie sessionCookie(ConsoleSessions.Created created, UriInfo uri, HttpHeaders headers) {
        return new NewCookie.Builder(ConsoleAuthMechanism.COOKIE).value(created.cookieValue()).path("/console")
                .httpOnly(true).secure(secure(uri, headers)).sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) sessions.ttl().toSeconds()).build();
    }

    @POST
    @Path("/login")
    public Response login(@RestForm String token, @RestForm("_csrf") String csrf,
                          @CookieParam(LOGIN_COOKIE) String loginCookie, @Context UriInfo uri, @Context HttpHeaders headers) {
        // double-submit check: a page of another site cannot read our cookie to copy it into its form
        if (!ConsoleSessions.same(loginCookie, csrf)) {
            return loginForm(403, "登录表单已失效，请重新输入令牌。", uri, headers);
        }
        // the identity module's one door for bearer values: PreAudit tokens (and OIDC JWTs when configured)
        Optional<SecurityIdentity> identity = token == null || token.isBlank() ? Optional.empty() : verifier.verify(token.trim());
        if (identity.isEmpty()) {
            return loginForm(401, "令牌无效、已过期或已被吊销。", uri, headers);
        }
        SecurityIdentity id = identity.get();
        if (!consoleRole(id)) {
            return loginForm(403, "该令牌的角色（" + String.join(", ", id.getRoles()) + "）不能使用控制台。", uri, headers);
        }
        ConsoleSessions.Created created = sessions.create(id);
        NewCookie cookie = sessionCookie(created, uri, headers);
        String home = id.hasRole(com.preaudit.platform.Roles.ANALYST) || id.hasRole(com.preaudit.platform.Roles.ADMIN)
                ? "/console/overview" : "/console/rules";
        return Response.seeOther(URI.create(home)).cookie(cookie, expired(LOGIN_COOKIE, "/console/login", uri, headers))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/logout")
    public Response logout(@RestForm("_csrf") String csrf, @Context UriInfo uri, @Context HttpHeaders headers) {
        Optional<String> endSession = Optional.empty();
        if (user.signedIn()) {
            user.checkCsrf(csrf);
            sessions.end(user.sessionHash());
            if (user.viaIdentityProvider() && oidc.enabled()) {
                // signed in at the identity provider: end that session too, or the next click on the button would
                // sign the same person in again without asking (a shared PC in the 医保科)
                endSession = oidc.endSessionUrl(publicBase(uri, headers) + ConsoleAuthMechanism.LOGIN);
            }
        }
        return Response.seeOther(URI.create(endSession.orElse(ConsoleAuthMechanism.LOGIN)))
                .cookie(expired(ConsoleAuthMechanism.COOKIE, "/console", uri, headers)).header("Cache-Control", "no-store").build();
    }

    private Response loginForm(int status, String error, UriInfo uri, HttpHeaders headers) {
        String value = ConsoleSessions.random();
        NewCookie cookie = new NewCookie.Builder(LOGIN_COOKIE).value(value).path("/console/login")
                .httpOnly(true).secure(secure(uri, headers)).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.status(status).entity(Templates.login(error, value, oidc.enabled()))
                .type(ConsolePages.HTML).cookie(cookie).header("Cache-Control", "no-store").build();
    }

    private static NewCookie expired(String name, String path, UriInfo uri, HttpHeaders headers) {
        return new NewCookie.Builder(name).value("").path(path).httpOnly(true).secure(secure(uri, headers))
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    /** Secure cookies when the browser reached us over https (directly or through a proxy). */
    static boolean secure(UriInfo uri, HttpHeaders headers) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme())
                || "https".equalsIgnoreCase(headers.getHeaderString("X-Forwarded-Proto"));
    }

    static Response see(String path) {
        return Response.seeOther(URI.create(path)).header("Cache-Control", "no-store").build();
    }
}
