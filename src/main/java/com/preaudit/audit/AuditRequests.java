package com.preaudit.audit;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.Procedure;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks an audit request and turns it into the engine's input. */
public final class AuditRequests {

    private static final Set<String> GENDERS = Set.of("M", "F", "U");
    private static final Set<String> INSURANCE = Set.of("EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY", "SELF_PAY");
    private static final Set<String> ITEM_TYPES = Set.of("DRUG", "HERB", "SERVICE", "MATERIAL");
    private static final List<String> PREGNANCY = List.of("NONE", "PREGNANT", "LACTATING");
    private static final List<String> TITLES = List.of("CHIEF", "ASSOCIATE_CHIEF", "ATTENDING", "RESIDENT", "ASSISTANT");
    private static final BigDecimal MAX_TIMES_PER_DAY = BigDecimal.valueOf(48);
    static final int MAX_PROCEDURES = 200;
    static final int MAX_LINES = 2000;
    static final int MAX_HISTORY = 20_000;
    /** Older birth dates are typing errors (19510827 → 1051-08-27), not patients. */
    static final int MAX_AGE_YEARS = 130;

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
            } else if (r.patient().birthDate().isAfter(LocalDate.now().plusDays(1))) {
                // a day's grace: the HIS may be a time zone ahead of this server
                errors.add(new FieldError("/patient/birthDate", "must not be in the future"));
            } else if (r.patient().birthDate().isBefore(LocalDate.now().minusYears(MAX_AGE_YEARS))) {
                errors.add(new FieldError("/patient/birthDate", "must be within the last " + MAX_AGE_YEARS + " years"));
            }
            if (r.patient().insuranceType() != null && !INSURANCE.contains(r.patient().insuranceType())) {
                errors.add(new FieldError("/patient/insuranceType", "must be one of " + INSURANCE));
            }
            if (r.patient().pregnancy() != null && !PREGNANCY.contains(r.patient().pregnancy())) {
                errors.add(new FieldError("/patient/pregnancy", "must be one of " + PREGNANCY));
            } else if ("PREGNANT".equals(r.patient().pregnancy()) || "LACTATING".equals(r.patient().pregnancy())) {
                if ("M".equals(r.patient().gender())) {
                    errors.add(new FieldError("/patient/pregnancy", "cannot be " + r.patient().pregnancy() + " for a male patient"));
                }
            }
            noNul(errors, "/patient/id", r.patient().id());
        }
        noNul(errors, "/requestId", r.requestId());
        LocalDate birth = r.patient() == null ? null : r.patient().birthDate();
        if (r.encounter() != null) {
            AuditRequest.EncounterDto e = r.encounter();
            if (e.admittedAt() != null && birth != null && e.admittedAt().toLocalDate().isBefore(birth)) {
                errors.add(new FieldError("/encounter/admittedAt", "must not be before the patient's birthDate " + birth));
            }
            if (e.dischargedAt() != null && e.admittedAt() != null && e.dischargedAt().isBefore(e.admittedAt())) {
                errors.add(new FieldError("/encounter/dischargedAt", "must not be before admittedAt " + e.admittedAt()));
            }
            noNul(errors, "/encounter/id", r.encounter().id());
            noNul(errors, "/encounter/departmentCode", r.encounter().departmentCode());
            noNul(errors, "/encounter/doctorId", r.encounter().doctorId());
            validatePrivilege("/encounter", r.encounter().doctorTitle(), r.encounter().antibioticLevel(), errors);
            validateProcedures(r.encounter().procedures(), errors);
            noNul(errors, "/encounter/departmentName", r.encounter().departmentName());
            noNul(errors, "/encounter/doctorName", r.encounter().doctorName());
        }
        if (r.lines() == null || r.lines().isEmpty()) {
            errors.add(new FieldError("/lines", "at least one line is required"));
        } else if (r.lines().size() > MAX_LINES) {
            errors.add(new FieldError("/lines", "at most " + MAX_LINES + " lines per audit"));
        } else {
            validateLines("/lines", r.lines(), birth, errors);
        }
        if (r.history() != null) {
            if (r.history().size() > MAX_HISTORY) {
                errors.add(new FieldError("/history", "at most " + MAX_HISTORY + " history lines"));
            } else {
                validateLines("/history", r.history(), birth, errors);
            }
        }
        return errors;
    }

    static void validateLines(String base, List<AuditRequest.LineDto> lines, LocalDate birth, List<FieldError> errors) {
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
            if (l.orderedAt() != null && birth != null && l.orderedAt().toLocalDate().isBefore(birth)) {
                errors.add(new FieldError(p + "/orderedAt", "must not be before the patient's birthDate " + birth));
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
            validateClinical(p, l, errors);
        }
    }

    /** The clinical fields of a line (dose, frequency, route, doctor privilege, fee category). */
    static void validateClinical(String p, AuditRequest.LineDto l, List<FieldError> errors) {
        if (l.dose() != null) {
            if (l.dose().signum() <= 0) {
                errors.add(new FieldError(p + "/dose", "must be > 0"));
            }
            if (blank(l.doseUnit())) {
                errors.add(new FieldError(p + "/doseUnit", "is required with dose (e.g. mg, g, ml, IU)"));
            }
        }
        if (l.doseUnit() != null && (l.doseUnit().isBlank() || l.doseUnit().length() > 16)) {
            errors.add(new FieldError(p + "/doseUnit", "must be 1–16 characters when given"));
        }
        if (l.frequency() != null && (l.frequency().isBlank() || l.frequency().length() > 64)) {
            errors.add(new FieldError(p + "/frequency", "must be 1–64 characters when given"));
        }
        if (l.timesPerDay() != null && (l.timesPerDay().signum() <= 0 || l.timesPerDay().compareTo(MAX_TIMES_PER_DAY) > 0)) {
            errors.add(new FieldError(p + "/timesPerDay", "must be > 0 and ≤ " + MAX_TIMES_PER_DAY));
        }
        if (l.route() != null && (l.route().isBlank() || l.route().length() > 64)) {
            errors.add(new FieldError(p + "/route", "must be 1–64 characters when given"));
        }
        if (l.feeCategory() != null && !INSURANCE.contains(l.feeCategory())) {
            errors.add(new FieldError(p + "/feeCategory", "must be one of " + INSURANCE));
        }
        validatePrivilege(p, l.doctorTitle(), l.antibioticLevel(), errors);
        noNul(errors, p + "/doseUnit", l.doseUnit());
        noNul(errors, p + "/frequency", l.frequency());
        noNul(errors, p + "/route", l.route());
    }

    private static void validatePrivilege(String p, String title, Integer level, List<FieldError> errors) {
        if (title != null && !TITLES.contains(title)) {
            errors.add(new FieldError(p + "/doctorTitle", "must be one of " + TITLES));
        }
        if (level != null && (level < 1 || level > 3)) {
            errors.add(new FieldError(p + "/antibioticLevel", "must be 1 (非限制使用级), 2 (限制使用级) or 3 (特殊使用级)"));
        }
    }

    private static void validateProcedures(List<AuditRequest.ProcedureDto> procedures, List<FieldError> errors) {
        if (procedures == null) {
            return;
        }
        if (procedures.size() > MAX_PROCEDURES) {
            errors.add(new FieldError("/encounter/procedures", "at most " + MAX_PROCEDURES + " procedures"));
            return;
        }
        for (int i = 0; i < procedures.size(); i++) {
            AuditRequest.ProcedureDto d = procedures.get(i);
            String p = "/encounter/procedures/" + i;
            if (d == null) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            if (blank(d.code())) {
                errors.add(new FieldError(p + "/code", "is required (ICD-9-CM-3)"));
            } else if (d.code().length() > 32) {
                errors.add(new FieldError(p + "/code", "must be at most 32 characters"));
            }
            noNul(errors, p + "/code", d.code());
            noNul(errors, p + "/name", d.name());
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
            List<Procedure> procedures = null;
            if (e.procedures() != null) {
                procedures = new ArrayList<>(e.procedures().size());
                for (AuditRequest.ProcedureDto d : e.procedures()) {
                    procedures.add(new Procedure(d.code(), d.name(), d.at(), d.primary()));
                }
            }
            encounter = new Encounter(e.id(), e.admittedAt(), e.dischargedAt(), e.departmentCode(), e.doctorId(), diagnoses,
                    procedures, e.doctorTitle(), e.antibioticLevel());
        }
        Hospital hospital = r.hospital() == null ? null : new Hospital(r.hospital().id(), r.hospital().level());
        return new AuditInput(r.requestId(), r.stage(), r.scenario(), hospital, patient, encounter, lines, history);
    }

    public static Line line(AuditRequest.LineDto l) {
        return new Line(l.id(), l.itemCode(), l.itemName(), l.itemType(), l.quantity(), l.unitPrice(), l.listPrice(),
                l.amount(), l.orderedAt(), l.days(), l.departmentCode(), l.doctorId(), l.prescriptionNo(), l.groupNo(),
                l.dischargeMedication(), l.selfPay(), l.encounterId(), l.dose(), l.doseUnit(), l.frequency(), l.timesPerDay(),
                l.route(), l.doctorTitle(), l.antibioticLevel(), l.feeCategory());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
