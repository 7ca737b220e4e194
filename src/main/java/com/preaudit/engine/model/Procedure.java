package com.preaudit.engine.model;

import java.time.LocalDateTime;

/** An operation or procedure of the encounter (ICD-9-CM-3 code as used by the NHSA), with when it was done. */
public record Procedure(String code, String name, LocalDateTime at, Boolean primary) {}
