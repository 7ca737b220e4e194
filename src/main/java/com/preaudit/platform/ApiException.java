package com.preaudit.platform;

import java.util.List;

/**
 * A client-visible failure: becomes an RFC 9457 problem+json with the given status. Thrown before
 * anything is written, so a rejected request never changes stored state.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException badRequest(String detail, List<FieldError> errors) {
        return new ApiException(400, "Bad Request", detail, errors);
    }

    public static ApiException unprocessable(String detail, List<FieldError> errors) {
        return new ApiException(422, "Unprocessable Content", detail, errors);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
