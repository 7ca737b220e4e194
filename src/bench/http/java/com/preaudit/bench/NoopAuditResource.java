package com.preaudit.bench;

import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditRequests;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The floor of the HTTP benchmark (PRODUCT.md §8): takes the audit payload through the same REST
 * layer, the same Jackson binding into {@link AuditRequest} and the same validation as
 * {@code POST /api/v1/audits}, then answers a fixed-shape body without auditing, recording or
 * touching the database. Compiled only by the {@code http-bench} Maven profile ({@code bench/http-load.sh}
 * builds with it), so a service built the ordinary way has no such endpoint. Hidden from the OpenAPI
 * document all the same: a benchmark build's document must not differ from the published one.
 */
@Path("/api/v1/bench/noop-audits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NoopAuditResource {

    /** The answer: how many lines were parsed. */
    public record NoopAnswer(int lines) { }

    @RolesAllowed(Roles.AUDIT_CLIENT)
    @POST
    @Operation(hidden = true)
    public NoopAnswer audit(AuditRequest request) {
        AuditRequests.requireValid(request, "");
        return new NoopAnswer(request.lines().size());
    }
}
