package com.preaudit.platform;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One invalid input: a JSON-pointer-like path ({@code /lines/0/itemCode}) and what is wrong with it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, Integer position) {

    public FieldError(String field, String message) {
        this(field, message, null);
    }
}
