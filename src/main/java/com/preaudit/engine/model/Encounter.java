package com.preaudit.engine.model;

import java.time.LocalDateTime;
import java.util.List;

/** The visit or stay the request lines belong to. */
public record Encounter(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                        String doctorId, List<Diagnosis> diagnoses) {}
