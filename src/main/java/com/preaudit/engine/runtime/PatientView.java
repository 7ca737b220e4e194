package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Patient;
import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;

/**
 * {@code patient} as MVEL sees it. Plain fields read as they are (null when absent: a rule may test for null);
 * the computed ages need the birth date and throw {@link MissingDataException} without one, so a rule that needs an
 * age is skipped instead of deciding on null.
 */
public final class PatientView {
    private final Patient p;
    private final LocalDate auditDate;
    private final List<String> chronic;

    PatientView(Patient p, LocalDate auditDate) {
        this.p = p;
        this.auditDate = auditDate;
        List<String> c = p == null ? null : p.chronicDiseases();
        this.chronic = c == null ? List.of() : Collections.unmodifiableList(c);
    }

    public String getId() {
        return p == null ? null : p.id();
    }

    public String getGender() {
        return p == null ? null : p.gender();
    }

    public LocalDate getBirthDate() {
        return p == null ? null : p.birthDate();
    }

    /** Age in whole years at the audit date. */
    public Integer getAgeYears() {
        return Period.between(birthDate(), auditDate).getYears();
    }

    /** Age in days at the audit date. */
    public Integer getAgeDays() {
        return (int) ChronoUnit.DAYS.between(birthDate(), auditDate);
    }

    public String getInsuranceType() {
        return p == null ? null : p.insuranceType();
    }

    /**
     * NONE, PREGNANT or LACTATING. A male patient without the field reads NONE; anyone else without it cannot be
     * decided: throws {@link MissingDataException}, so a pregnancy rule is skipped rather than assuming NONE.
     */
    public String getPregnancy() {
        String v = p == null ? null : p.pregnancy();
        if (v != null) return v;
        if (p != null && "M".equals(p.gender())) return "NONE";
        throw new MissingDataException("patient.pregnancy missing");
    }

    public List<String> getChronicDiseases() {
        return chronic;
    }

    LocalDate birthDate() {
        LocalDate b = p == null ? null : p.birthDate();
        if (b == null) throw new MissingDataException("patient.birthDate missing");
        return b;
    }
}
