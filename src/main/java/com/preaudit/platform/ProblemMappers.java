package com.preaudit.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Turns every failure into problem+json; malformed input is a 4xx naming the field, never a 5xx. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return problem(e.status(), e.title(), e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = "/";
        if (e instanceof JsonMappingException m) {
            field = pointer(m.getPath());
        }
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown property '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            message = "invalid value '" + f.getValue() + "', expected " + Json.expected(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            // Jackson's own text names Java classes; say what the client should have sent instead
            message = "expected " + Json.expected(m.getTargetType());
        } else {
            message = e.getOriginalMessage();
        }
        if (e instanceof JsonMappingException && !(e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException)) {
            // well-formed JSON with a wrong value: the detail names the field, so a log line alone is enough to fix it
            return problem(400, "Bad Request", field + ": " + message, List.of(new FieldError(field, message)));
        }
        return problem(400, "Bad Request", "the request body is not valid JSON for this endpoint",
                List.of(new FieldError(field, message)));
    }

    // Quarkus REST maps these subclasses itself (an empty 400); the most specific mapper wins, so name them.
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response parse(com.fasterxml.jackson.core.JsonParseException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException j) {
            return json(j);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return problem(status, title, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        // the driver's text can carry SQL, host names and credentials' user names: log it, do not answer it
        LOG.warnf("%s (%s)", e.getMessage(), e.getCause() == null ? "" : e.getCause().getClass().getSimpleName());
        return problem(503, "Service Unavailable", e.store() + " is unavailable; nothing was changed, retry shortly", List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof ApiException a) {
            return api(a);
        }
        if (e instanceof WebApplicationException w) {
            return web(w);
        }
        if (e instanceof StorageException s) {
            return storage(s);
        }
        LOG.error("unexpected failure", e);
        return problem(500, "Internal Server Error", "the request could not be completed; see the server log", List.of());
    }

    static String pointer(List<JsonMappingException.Reference> path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            sb.append('/');
            if (r.getFieldName() != null) {
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append(r.getIndex());
            }
        }
        return sb.toString();
    }

    public static Response problem(int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, errors))
                .build();
    }
}
