package com.preaudit.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.Json;

import java.io.UncheckedIOException;

/**
 * The two serial forms of a rule: JSON in the database and YAML in rules-catalog/. Both are the
 * engine's {@link RuleDefinition} written field by field, so export → import is lossless.
 */
public final class CatalogJson {

    public static final ObjectMapper JSON = Json.MAPPER;
    public static final ObjectMapper YAML = configure(new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build()));

    private CatalogJson() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return Json.configure(m);
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleDefinition ruleFromJson(String json) {
        try {
            return JSON.readValue(json, RuleDefinition.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
