package com.preaudit.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.LocalDate;

/** catalog.yaml. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogMeta(String name, String description, LocalDate effectiveFrom) {

    public static final CatalogMeta EMPTY = new CatalogMeta("PreAudit catalog", null, null);
}
