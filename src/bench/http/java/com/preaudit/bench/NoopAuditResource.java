package com.preaudit.bench;

import com.preaudit.audit.AuditRequest;
import com.preaudit.audit.AuditRequests;
import com.preaudit.platform.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The floor of the HTTP benchmark (PRODUCT.md §8): takes the audit payload through the same REST
 * layer, the same Jackson binding into {@link AuditRequest} and the same validation as
 * {@code POST /api/v1/audits}, then answers a fixed-shape body without auditing, recording or
 * touching the database. Off unless {@code preaudit.bench.noop-endpoint=true}; when off it is a 404.
 * Not part of the published API, so it is hidden from the OpenAPI document.
 */
@Path("/api/v1/bench/noop-audits")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NoopAuditResource {

    /** The answer: how many lines were parsed. */
    public record NoopAnswer(int lines) { }

    private final boolean enabled;

    public NoopAuditResource(@ConfigProperty(name = "preaudit.bench.noop-endpoint", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    @POST
    @Operation(hidden = true)
    public NoopAnswer audit(AuditRequest request) {
        if (!enabled) {
            throw ApiException.notFound("no such endpoint (the benchmark endpoint is off: preaudit.bench.noop-endpoint)");
        }
        AuditRequests.requireValid(request, "");
        return new NoopAnswer(request.lines().size());
    }
}
