package com.preaudit.security;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.Caller;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;
import java.util.List;

/** PreAudit tokens for HIS systems and scripts (PRODUCT.md §10): mint, list, revoke. Admin only. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens", description = "PreAudit bearer tokens: minted for HIS systems and scripts, stored only as hashes")
@RolesAllowed(Roles.ADMIN)
public class TokenResource {

    @Inject
    TokenStore store;

    @Inject
    TokenVerifier verifier;

    @Inject
    Caller caller;

    public record MintRequest(String subject, List<String> roles, Integer expiresInDays, String note) { }

    public record MintResponse(String id, String token, String subject, List<String> roles, OffsetDateTime expiresAt) { }

    public record TokenView(String id, String subject, List<String> roles, String note, OffsetDateTime createdAt,
                            String createdBy, OffsetDateTime expiresAt, OffsetDateTime revokedAt, String revokedBy,
                            boolean active) {
        static TokenView of(ApiToken t) {
            boolean active = t.revokedAt == null && (t.expiresAt == null || t.expiresAt.isAfter(OffsetDateTime.now()));
            return new TokenView(t.id, t.subject, t.roleList(), t.note, t.createdAt, t.createdBy, t.expiresAt,
                    t.revokedAt, t.revokedBy, active);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mint a token",
            description = "The value is in this answer only; the service keeps its SHA-256 digest. "
                    + "Without expiresInDays the token does not expire (revoke it with DELETE).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MintRequest.class),
            examples = @ExampleObject(name = "HIS outpatient", value = """
                    {"subject": "his-outpatient", "roles": ["audit-client"], "expiresInDays": 365, "note": "门诊医生站"}""")))
    @APIResponse(responseCode = "201", description = "the token, with its value (shown once)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MintResponse.class)))
    @APIResponse(responseCode = "422", description = "invalid subject, roles or expiry (fields named, roles listed)")
    public Response mint(MintRequest body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body is required",
                    List.of(new com.preaudit.platform.FieldError("/", "expected {\"subject\", \"roles\", \"expiresInDays\", \"note\"}")));
        }
        TokenStore.Minted m = store.mint(body.subject(), body.roles(), body.expiresInDays(), body.note(), caller.subject());
        verifier.remember(m.token());
        ApiToken t = m.token();
        return Response.status(201)
                .entity(new MintResponse(t.id, m.value(), t.subject, t.roleList(), t.expiresAt))
                .build();
    }

    @GET
    @Operation(summary = "List tokens", description = "Every token, newest first, without values.")
    public List<TokenView> list() {
        return store.list().stream().map(TokenView::of).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token", description = "Refused on this node at once and on every node within 5 s.")
    @APIResponse(responseCode = "204", description = "revoked (or already revoked)")
    @APIResponse(responseCode = "404", description = "no such token")
    public void revoke(@PathParam("id") String id) {
        ApiToken t = store.revoke(id, caller.subject()).orElseThrow(() -> ApiException.notFound("no token " + id));
        verifier.forget(t.tokenHash);
    }
}
