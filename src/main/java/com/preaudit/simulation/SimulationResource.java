package com.preaudit.simulation;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.Caller;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Problem;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** Impact simulation (规则试运行, PRODUCT.md §11): what a catalog change would have done to the audits of a period. */
@Path("/api/v1/simulations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Simulations")
@RolesAllowed({Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ADMIN})
public class SimulationResource {

    private final SimulationService service;
    private final Caller caller;

    public SimulationResource(SimulationService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Start an impact simulation",
            description = "Replays the stored audits of the period, exactly as received, through the candidate and the baseline "
                    + "catalog, each with the stored history as it stood at the original audit's time, and reports the findings "
                    + "the candidate adds and removes. Runs in the background (one worker per node by default); poll GET /{id}.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "draft against active", value = """
            {"candidate": "draft", "baseline": "active", "from": "2026-11-01", "to": "2026-11-30", "stage": "PRE_ORDER"}""")))
    @APIResponse(responseCode = "202", description = "started: {\"id\"}")
    @APIResponse(responseCode = "422", description = "invalid input, the field named (unknown version, from after to, bad stage …)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", description = "too many simulations waiting on this node")
    public Response start(SimulationRequest request) {
        SimulationView v = service.start(request, caller.subject());
        return Response.accepted(new Started(v.id())).build();
    }

    public record Started(String id) { }

    @GET
    @Operation(summary = "The latest simulations, newest first (without results)")
    public List<SimulationView> list(@QueryParam("limit") Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 500) {
            throw ApiException.badRequest("invalid limit", List.of(new FieldError("limit", "must be 1–500")));
        }
        return service.list(n);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A simulation: status, progress and, when DONE, its result")
    @APIResponse(responseCode = "200", description = "the simulation")
    @APIResponse(responseCode = "404", description = "unknown id", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public SimulationView get(@PathParam("id") String id) {
        return service.get(uuid(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a running simulation", description = "It ends CANCELLED within a page of replayed audits, "
            + "keeping what it had replayed by then as its result.")
    @APIResponse(responseCode = "200", description = "the simulation, now CANCELLED")
    @APIResponse(responseCode = "404", description = "unknown id", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "it has already ended (DONE or FAILED)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public SimulationView cancel(@PathParam("id") String id) {
        return service.cancel(uuid(id));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no simulation " + id);
        }
    }
}
