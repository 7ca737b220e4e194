package com.preaudit.audit;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks an audit request and turns it into the engine's input. */
public final class AuditRequests {

    private static final Set<String> GENDERS = Set.of("M", "F", "U");
    private static final Set<String> INSURANCE = Set.of("EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY", "SELF_PAY");
    private static final Set<String> ITEM_TYPES = Set.of("DRUG", "HERB", "SERVICE", "MATERIAL");
    static final int MAX_LINES = 2000;
    static final int MAX_HISTORY = 20_000;

    private AuditRequests() {
    }

    /** All problems of the request, with JSON-pointer paths; empty when it can be audited. */
    public static List<FieldError> validate(AuditRequest r) {
        List<FieldError> errors = new ArrayList<>();
        if (r == null) {
            errors.add(new FieldError("/", "a JSON audit request is required"));
            return errors;
        }
        if (r.requestId() != null && (r.requestId().isBlank() || r.requestId().length() > 128)) {
            errors.add(new FieldError("/requestId", "must be 1–128 characters when given"));
        }
        if (r.stage() == null) {
            errors.add(new FieldError("/stage", "is required: PRE_ORDER, PRE_CHARGE or PRE_SETTLEMENT"));
        }
        if (r.hospital() != null && r.hospital().level() != null && (r.hospital().level() < 1 || r.hospital().level() > 3)) {
            errors.add(new FieldError("/hospital/level", "must be 1, 2 or 3"));
        }
        if (r.patient() == null) {
            errors.add(new FieldError("/patient", "is required"));
        } else {
            if (blank(r.patient().id())) {
                errors.add(new FieldError("/patient/id", "is required"));
            }
            if (r.patient().gender() == null || !GENDERS.contains(r.patient().gender())) {
                errors.add(new FieldError("/patient/gender", "is required: M, F or U"));
            }
            if (r.patient().birthDate() == null) {
                errors.add(new FieldError("/patient/birthDate", "is required (yyyy-MM-dd)"));
            }
            if (r.patient().insuranceType() != null && !INSURANCE.contains(r.patient().insuranceType())) {
                errors.add(new FieldError("/patient/insuranceType", "must be one of " + INSURANCE));
            }
            noNul(errors, "/patient/id", r.patient().id());
        }
        noNul(errors, "/requestId", r.requestId());
        if (r.encounter() != null) {
            noNul(errors, "/encounter/id", r.encounter().id());
            noNul(errors, "/encounter/departmentCode", r.encounter().departmentCode());
            noNul(errors, "/encounter/doctorId", r.encounter().doctorId());
            noNul(errors, "/encounter/departmentName", r.encounter().departmentName());
            noNul(errors, "/encounter/doctorName", r.encounter().doctorName());
        }
        if (r.lines() == null || r.lines().isEmpty()) {
            errors.add(new FieldError("/lines", "at least one line is required"));
        } else if (r.lines().size() > MAX_LINES) {
            errors.add(new FieldError("/lines", "at most " + MAX_LINES + " lines per audit"));
        } else {
            validateLines("/lines", r.lines(), errors);
        }
        if (r.history() != null) {
            if (r.history().size() > MAX_HISTORY) {
                errors.add(new FieldError("/history", "at most " + MAX_HISTORY + " history lines"));
            } else {
                validateLines("/history", r.history(), errors);
            }
        }
        return errors;
    }

    static void validateLines(String base, List<AuditRequest.LineDto> lines, List<FieldError> errors) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            AuditRequest.LineDto l = lines.get(i);
            String p = base + "/" + i;
            if (l == null) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            if (blank(l.id())) {
                errors.add(new FieldError(p + "/id", "is required"));
            } else if (!ids.add(l.id())) {
                errors.add(new FieldError(p + "/id", "duplicate line id " + l.id()));
            }
            if (blank(l.itemCode())) {
                errors.add(new FieldError(p + "/itemCode", "is required"));
            }
            if (l.quantity() == null) {
                errors.add(new FieldError(p + "/quantity", "is required"));
            }
            if (l.itemType() != null && !ITEM_TYPES.contains(l.itemType())) {
                errors.add(new FieldError(p + "/itemType", "must be one of " + ITEM_TYPES));
            }
            if (l.days() != null && l.days() < 0) {
                errors.add(new FieldError(p + "/days", "must be ≥ 0"));
            }
            noNul(errors, p + "/id", l.id());
            noNul(errors, p + "/itemCode", l.itemCode());
            noNul(errors, p + "/itemName", l.itemName());
            noNul(errors, p + "/departmentCode", l.departmentCode());
            noNul(errors, p + "/doctorId", l.doctorId());
            noNul(errors, p + "/departmentName", l.departmentName());
            noNul(errors, p + "/doctorName", l.doctorName());
            noNul(errors, p + "/prescriptionNo", l.prescriptionNo());
            noNul(errors, p + "/groupNo", l.groupNo());
            noNul(errors, p + "/encounterId", l.encounterId());
        }
    }

    /**
     * PostgreSQL text cannot hold U+0000: a value stored as a column (ids, codes, names) with a NUL
     * would fail in the store, so it is refused here, naming the field.
     */
    static void noNul(List<FieldError> errors, String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            errors.add(new FieldError(field, "must not contain the NUL character (U+0000)"));
        }
    }

    public static void requireValid(AuditRequest r, String prefix) {
        List<FieldError> errors = validate(r);
        if (!errors.isEmpty()) {
            List<FieldError> prefixed = prefix.isEmpty() ? errors
                    : errors.stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList();
            throw ApiException.unprocessable("the audit request is invalid", prefixed);
        }
    }

    public static AuditInput toInput(AuditRequest r, List<Line> storedHistory) {
        List<Line> lines = new ArrayList<>(r.lines().size());
        for (AuditRequest.LineDto l : r.lines()) {
            lines.add(line(l));
        }
        List<Line> history;
        if ((r.history() == null || r.history().isEmpty()) && storedHistory.isEmpty()) {
            history = List.of();
        } else {
            // union de-duplicated by line id: the request's copy wins (it is what the caller sees now)
            history = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            Set<String> current = new HashSet<>();
            for (Line l : lines) {
                current.add(l.id());
            }
            if (r.history() != null) {
                for (AuditRequest.LineDto l : r.history()) {
                    if (!current.contains(l.id()) && seen.add(l.id())) {
                        history.add(line(l));
                    }
                }
            }
            for (Line l : storedHistory) {
                if (!current.contains(l.id()) && seen.add(l.id())) {
                    history.add(l);
                }
            }
        }
        AuditRequest.PatientDto p = r.patient();
        Patient patient = new Patient(p.id(), p.gender(), p.birthDate(), p.insuranceType(), p.pregnancy(),
                p.chronicDiseases() == null ? List.of() : p.chronicDiseases());
        Encounter encounter = null;
        if (r.encounter() != null) {
            AuditRequest.EncounterDto e = r.encounter();
            List<Diagnosis> diagnoses = new ArrayList<>();
            if (e.diagnoses() != null) {
                for (AuditRequest.DiagnosisDto d : e.diagnoses()) {
                    if (d != null && d.code() != null) {
                        diagnoses.add(new Diagnosis(d.code(), d.name(), d.primary()));
                    }
                }
            }
            encounter = new Encounter(e.id(), e.admittedAt(), e.dischargedAt(), e.departmentCode(), e.doctorId(), diagnoses);
        }
        Hospital hospital = r.hospital() == null ? null : new Hospital(r.hospital().id(), r.hospital().level());
        return new AuditInput(r.requestId(), r.stage(), r.scenario(), hospital, patient, encounter, lines, history);
    }

    public static Line line(AuditRequest.LineDto l) {
        return new Line(l.id(), l.itemCode(), l.itemName(), l.itemType(), l.quantity(), l.unitPrice(), l.listPrice(),
                l.amount(), l.orderedAt(), l.days(), l.departmentCode(), l.doctorId(), l.prescriptionNo(), l.groupNo(),
                l.dischargeMedication(), l.selfPay(), l.encounterId());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
