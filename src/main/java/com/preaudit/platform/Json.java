package com.preaudit.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateTimeDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON setup every package shares: {@link #configure} for the stored and authored forms (catalog
 * JSON/YAML, audit records), {@link #strictInput} for request bodies. A value of the wrong JSON type
 * is refused, never coerced: a HIS that sends {@code "birthDate": 19510827} or {@code "quantity": "1"}
 * has a bug the integrator must see, and Jackson's defaults would silently read the first as a count
 * of days since 1970 and the second as a number.
 */
public final class Json {

    /** The stored form (audit records, catalog rows): ISO dates, unknown properties refused, nulls left out. */
    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private Json() {
    }

    /** Java time as ISO text, unknown properties refused, nulls left out. */
    public static ObjectMapper configure(ObjectMapper m) {
        return m.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** No coercion between JSON types; dates only as ISO text; enums only by name. */
    public static ObjectMapper strictInput(ObjectMapper m) {
        for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Enum, LogicalType.DateTime}) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.Integer, t == LogicalType.Integer || t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, t == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail);
            if (t != LogicalType.Textual && t != LogicalType.Enum && t != LogicalType.DateTime) {
                m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
            }
        }
        m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        SimpleModule textDates = new SimpleModule("preaudit-text-dates");
        textDates.addDeserializer(LocalDate.class, new TextOnly<>(LocalDate.class, new LocalDateDeserializer(DateTimeFormatter.ISO_LOCAL_DATE)));
        textDates.addDeserializer(LocalDateTime.class, new TextOnly<>(LocalDateTime.class, new LocalDateTimeDeserializer(DateTimeFormatter.ISO_LOCAL_DATE_TIME)));
        return m.registerModule(textDates);
    }

    /** What a client should send for a Java type, in words an integrator reads ("a number", not "BigDecimal"). */
    public static String expected(Class<?> type) {
        if (type == null) {
            return "another JSON value";
        }
        if (type == LocalDate.class) {
            return "a date as text, yyyy-MM-dd";
        }
        if (type == LocalDateTime.class) {
            return "a date-time as text, yyyy-MM-ddTHH:mm:ss";
        }
        if (type == String.class || type == Character.class) {
            return "a string";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == BigInteger.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "a JSON object";
        }
        return "a " + type.getSimpleName();
    }

    /** {@code value} written by {@code m}; a value it cannot write is a bug, thrown unchecked. */
    public static String toJson(ObjectMapper m, Object value) {
        try {
            return m.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stored form read back by {@code m} (what this service wrote itself, never a client's input: that is read by
     * the REST layer, which answers its errors as 400); text it cannot read is a bug, thrown unchecked.
     */
    public static <T> T fromJson(ObjectMapper m, String json, Class<T> type) {
        try {
            return m.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same for a generic type ({@code new TypeReference<List<String>>() { }}). */
    public static <T> T fromJson(ObjectMapper m, String json, TypeReference<T> type) {
        try {
            return m.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets JSON null and strings through to the ISO parser; anything else is a type mismatch. */
    private static final class TextOnly<T> extends StdDeserializer<T> {
        private final JsonDeserializer<T> iso;

        TextOnly(Class<T> type, JsonDeserializer<T> iso) {
            super(type);
            this.iso = iso;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (T) ctxt.reportInputMismatch(this, "expected %s", expected(handledType()));
            }
            return iso.deserialize(p, ctxt);
        }
    }
}
