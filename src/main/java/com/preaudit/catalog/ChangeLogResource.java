package com.preaudit.catalog;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.ChangeLogEntry;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Params;
import com.preaudit.platform.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Who changed what in the catalog, and token events (PRODUCT.md §10): the change log, newest first. */
@Path("/api/v1/catalog/changes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog versions")
public class ChangeLogResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @Inject
    ChangeLog changeLog;

    public record Change(long id, OffsetDateTime at, String subject, String action, String target, String note) {
        static Change of(ChangeLogEntry e) {
            return new Change(e.id, e.at, e.subject, e.action, e.target, e.note);
        }
    }

    @GET
    @RolesAllowed({Roles.ANALYST, Roles.RULE_AUTHOR})
    @Operation(summary = "The change log",
            description = "Every catalog change (rule and knowledge-set put/delete, "
                    + "import, publish, activate) and token event, with the credential's subject, newest first. "
                    + "from/to: a day (yyyy-MM-dd, the service's zone) or an ISO-8601 date-time; to is exclusive "
                    + "(a day as to includes that whole day).")
    @APIResponse(responseCode = "200", description = "the entries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "a publish", value = """
                    [{"id": 42, "at": "2026-12-07T02:40:00Z", "subject": "zhang.wei", "action": "version.publish",
                      "target": "v8", "note": "2026 年第四季度规则更新"}]""")))
    @APIResponse(responseCode = "400", description = "a bad from, to or limit (named)")
    public List<Change> list(
            @Parameter(description = "from (inclusive): yyyy-MM-dd or a date-time; default 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "to (exclusive): yyyy-MM-dd (that whole day) or a date-time; default now") @QueryParam("to") String to,
            @Parameter(description = "only this subject") @QueryParam("subject") String subject,
            @Parameter(description = "at most this many entries, 1–" + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")") @QueryParam("limit") String limit) {
        OffsetDateTime toAt = instant("to", to, true);
        if (toAt == null) {
            toAt = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);
        }
        OffsetDateTime fromAt = instant("from", from, false);
        if (fromAt == null) {
            fromAt = toAt.minusDays(30);
        }
        if (fromAt.isAfter(toAt)) {
            throw ApiException.badRequest("invalid from", List.of(new FieldError("from", "must not be after to (" + toAt + ")")));
        }
        Integer n = Params.optionalInt("limit", limit, 1, MAX_LIMIT);
        String who = subject == null || subject.isBlank() ? null : subject.strip();
        return changeLog.list(fromAt, toAt, who, n == null ? DEFAULT_LIMIT : n).stream().map(Change::of).toList();
    }

    /** A day (its start; for {@code to}, the next day's start) or a date-time; null when absent. */
    static OffsetDateTime instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneId.systemDefault()).toOffsetDateTime();
            }
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid " + name, List.of(new FieldError(name,
                    "must be a day (yyyy-MM-dd) or an ISO-8601 date-time with offset, got '" + value + "'")));
        }
    }
}
