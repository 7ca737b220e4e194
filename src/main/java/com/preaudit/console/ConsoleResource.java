package com.preaudit.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import com.preaudit.security.BearerVerifier;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Optional;

/** Console sign-in and sign-out (PRODUCT.md §12). The token is posted in a form, never put in a URL or a log. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    static final String LOGIN_COOKIE = "preaudit_console_login";

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance login(String error, String loginCsrf);

        static native TemplateInstance error(String message);
    }

    private final ConsoleSessions sessions;
    private final BearerVerifier verifier;
    private final ConsoleUser user;

    public ConsoleResource(ConsoleSessions sessions, BearerVerifier verifier, ConsoleUser user) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.user = user;
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
    public Response loginPage(@Context UriInfo uri, @Context HttpHeaders headers) {
        if (user.signedIn() && user.home() != null) {
            return see(user.home());
        }
        return loginForm(200, null, uri, headers);
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
        boolean anyConsoleRole = false;
        for (String r : ConsoleUser.CATALOG_READERS) {
            anyConsoleRole |= id.hasRole(r);
        }
        if (!anyConsoleRole) {
            return loginForm(403, "该令牌的角色（" + String.join(", ", id.getRoles()) + "）不能使用控制台。", uri, headers);
        }
        ConsoleSessions.Created created = sessions.create(id);
        NewCookie cookie = new NewCookie.Builder(ConsoleAuthMechanism.COOKIE).value(created.cookieValue()).path("/console")
                .httpOnly(true).secure(secure(uri, headers)).sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) sessions.ttl().toSeconds()).build();
        String home = id.hasRole(com.preaudit.platform.Roles.ANALYST) || id.hasRole(com.preaudit.platform.Roles.ADMIN)
                ? "/console/overview" : "/console/rules";
        return Response.seeOther(URI.create(home)).cookie(cookie, expired(LOGIN_COOKIE, "/console/login", uri, headers))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/logout")
    public Response logout(@RestForm("_csrf") String csrf, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (user.signedIn()) {
            user.checkCsrf(csrf);
            sessions.end(user.sessionHash());
        }
        return Response.seeOther(URI.create(ConsoleAuthMechanism.LOGIN))
                .cookie(expired(ConsoleAuthMechanism.COOKIE, "/console", uri, headers)).build();
    }

    private Response loginForm(int status, String error, UriInfo uri, HttpHeaders headers) {
        String value = ConsoleSessions.random();
        NewCookie cookie = new NewCookie.Builder(LOGIN_COOKIE).value(value).path("/console/login")
                .httpOnly(true).secure(secure(uri, headers)).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.status(status).entity(Templates.login(error, value))
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
