package com.preaudit.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.Json;

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
        return Json.toJson(JSON, value);
    }

    public static RuleDefinition ruleFromJson(String json) {
        return Json.fromJson(JSON, json, RuleDefinition.class);
    }
}
