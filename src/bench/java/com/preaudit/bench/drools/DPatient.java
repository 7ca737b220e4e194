package com.preaudit.bench.drools;

import java.time.LocalDate;
import java.time.Period;

/** The patient as a Drools fact. */
public final class DPatient {
    private final String gender;
    private final LocalDate birthDate;

    public DPatient(String gender, LocalDate birthDate) {
        this.gender = gender;
        this.birthDate = birthDate;
    }

    public String getGender() { return gender; }
    public LocalDate getBirthDate() { return birthDate; }

    /** Age in whole years at {@code date} (the engine's {@code fn.ageYears(line)}). */
    public int ageAt(LocalDate date) {
        return Period.between(birthDate, date).getYears();
    }
}
