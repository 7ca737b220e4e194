package com.preaudit.simulation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** A simulation as the API shows it; {@code result} is null until it is DONE (or CANCELLED: what it had by then). */
@Schema(name = "Simulation")
public record SimulationView(String id,
                             @Schema(enumeration = {"RUNNING", "DONE", "FAILED", "CANCELLED"}) String status,
                             String candidate, Integer candidateVersion, String baseline, int baselineVersion,
                             LocalDate from, LocalDate to, String stage, String scenario, Progress progress,
                             SimulationResult result, String createdBy, OffsetDateTime createdAt, OffsetDateTime startedAt,
                             OffsetDateTime finishedAt, String failureReason) {

    public record Progress(long replayed, long total) { }
}
