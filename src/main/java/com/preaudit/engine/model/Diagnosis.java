package com.preaudit.engine.model;

/** An encounter diagnosis (ICD-10 code as used by the NHSA). */
public record Diagnosis(String code, String name, Boolean primary) {}
