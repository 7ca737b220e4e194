package com.preaudit.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/simulations} (PRODUCT.md §11). */
@Schema(name = "SimulationRequest")
public record SimulationRequest(
        @Schema(required = true, description = "\"draft\" or a published version number: the catalog whose effect is shown",
                implementation = String.class, oneOf = {String.class, Integer.class}) JsonNode candidate,
        @Schema(description = "\"active\" (default) or a published version number: what the candidate is compared with",
                implementation = String.class, oneOf = {String.class, Integer.class}) JsonNode baseline,
        @Schema(required = true, description = "first day of the replayed audits (yyyy-MM-dd, in the statistics' zone)") String from,
        @Schema(required = true, description = "last day of the replayed audits, inclusive") String to,
        @Schema(enumeration = {"PRE_ORDER", "PRE_CHARGE", "PRE_SETTLEMENT"}, description = "only audits of this stage") String stage,
        @Schema(enumeration = {"OUTPATIENT", "EMERGENCY", "INPATIENT", "PHARMACY", "INTERNET"},
                description = "only audits of this scenario") String scenario) {
}
