package com.preaudit.platform;

import java.util.List;

/**
 * Query and path numbers are taken as text and parsed here: JAX-RS would answer a bad number with a
 * bare 404, while a client deserves a 400 that names the parameter.
 */
public final class Params {

    private Params() {
    }

    /** null when absent; 400 naming {@code name} when not a whole number within [min, max]. */
    public static Integer optionalInt(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw range(name, value, min, max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw range(name, value, min, max);
        }
    }

    public static int requiredInt(String name, String value, int min, int max) {
        Integer v = optionalInt(name, value, min, max);
        if (v == null) {
            throw ApiException.badRequest(name + " is required", List.of(new FieldError(name, "is required")));
        }
        return v;
    }

    private static ApiException range(String name, String value, int min, int max) {
        String bound = max == Integer.MAX_VALUE ? "≥ " + min : "between " + min + " and " + max;
        return ApiException.badRequest("invalid " + name, List.of(new FieldError(name,
                "must be a whole number " + bound + ", got '" + value + "'")));
    }
}
