package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Procedure;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code encounter} as MVEL sees it; an absent encounter reads as one with no data and no diagnoses. */
public final class EncounterView {
    private final Encounter e;
    private final List<DiagnosisView> diagnoses;
    private List<String> procedureCodes;   // lazily

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
    /** The encounter's default doctor title (null when not sent; lines read theirs through {@code line.doctorTitle}). */
    public String getDoctorTitle() { return e == null ? null : e.doctorTitle(); }
    /** The encounter's default antibiotic privilege level (null when not sent). */
    public Integer getAntibioticLevel() { return e == null ? null : e.antibioticLevel(); }

    /** The ICD-9-CM-3 codes of the encounter's procedures; throws {@link MissingDataException} when not sent. */
    public List<String> getProcedureCodes() {
        List<String> c = procedureCodes;
        if (c == null) {
            List<Procedure> ps = procedures();
            ArrayList<String> out = new ArrayList<>(ps.size());
            for (Procedure p : ps) out.add(p.code());
            procedureCodes = c = Collections.unmodifiableList(out);
        }
        return c;
    }

    /** The procedures (null entries and entries without a code dropped); throws when the request sent none. */
    List<Procedure> procedures() {
        List<Procedure> ps = e == null ? null : e.procedures();
        if (ps == null) throw new MissingDataException("encounter.procedures missing");
        for (Procedure p : ps) {
            if (p == null || p.code() == null) {
                ArrayList<Procedure> out = new ArrayList<>(ps.size());
                for (Procedure q : ps) if (q != null && q.code() != null) out.add(q);
                return out;
            }
        }
        return ps;
    }
}
