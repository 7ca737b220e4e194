package com.preaudit.engine.model;

import java.time.LocalDate;
import java.util.List;

/** The insured person; {@code gender} is M, F or U. */
public record Patient(String id, String gender, LocalDate birthDate, String insuranceType,
                      String pregnancy, List<String> chronicDiseases) {}
