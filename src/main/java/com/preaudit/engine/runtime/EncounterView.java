package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Encounter;
import java.time.LocalDateTime;
import java.util.List;

/** {@code encounter} as MVEL sees it; an absent encounter reads as one with no data and no diagnoses. */
public final class EncounterView {
    private final Encounter e;
    private final List<DiagnosisView> diagnoses;

    EncounterView(Encounter e, List<DiagnosisView> diagnoses) {
        this.e = e;
        this.diagnoses = diagnoses;
    }

    public String getId() { return e == null ? null : e.id(); }
    public LocalDateTime getAdmittedAt() { return e == null ? null : e.admittedAt(); }
    public LocalDateTime getDischargedAt() { return e == null ? null : e.dischargedAt(); }
    public String getDepartmentCode() { return e == null ? null : e.departmentCode(); }
    public String getDoctorId() { return e == null ? null : e.doctorId(); }
    public List<DiagnosisView> getDiagnoses() { return diagnoses; }
}
