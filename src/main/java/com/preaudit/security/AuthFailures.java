package com.preaudit.security;

import com.preaudit.platform.Problem;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json (PRODUCT.md §10). A 401 says only that credentials are required,
 * whatever was wrong with them (missing, malformed, unknown, expired, revoked, forged): a caller
 * probing tokens learns nothing from the answer.
 */
@ApplicationScoped
public class AuthFailures {

    static final String UNAUTHORIZED = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"valid credentials are required: Authorization: Bearer <token>\"}";
    static final String FORBIDDEN = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"the credential's roles do not allow this operation\"}";

    /** Failures of the HTTP security layer (path policies, authentication) arrive at the router. */
    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (f instanceof AuthenticationFailedException || f instanceof UnauthorizedException
                || f instanceof AuthenticationCompletionException) {
            send(ctx.response(), 401, UNAUTHORIZED);
        } else if (f instanceof ForbiddenException) {
            send(ctx.response(), 403, FORBIDDEN);
        } else {
            ctx.next();
        }
    }

    static void send(HttpServerResponse r, int status, String body) {
        if (r.ended()) {
            return;
        }
        r.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (status == 401) {
            r.putHeader("WWW-Authenticate", BearerAuthMechanism.SCHEME);
        }
        r.end(body);
    }

    /** Denials raised by {@code @RolesAllowed} inside the REST layer. */
    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e) {
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(FORBIDDEN).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", BearerAuthMechanism.SCHEME)
                .entity(UNAUTHORIZED).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response failed(AuthenticationFailedException e) {
        return unauthorized(null);
    }
}
