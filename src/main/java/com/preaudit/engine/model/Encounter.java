package com.preaudit.engine.model;

import java.time.LocalDateTime;
import java.util.List;

/**
 * The visit or stay the request lines belong to. {@code procedures} are the operations/procedures (ICD-9-CM-3) of
 * the encounter: null when the caller did not send them (rules that need them are skipped), empty when there were
 * none. {@code doctorTitle} / {@code antibioticLevel} are the defaults for lines that do not carry their own.
 */
public record Encounter(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                        String doctorId, List<Diagnosis> diagnoses, List<Procedure> procedures,
                        String doctorTitle, Integer antibioticLevel) {

    /** An encounter without procedures or doctor privilege data. */
    public Encounter(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                     String doctorId, List<Diagnosis> diagnoses) {
        this(id, admittedAt, dischargedAt, departmentCode, doctorId, diagnoses, null, null, null);
    }
}
