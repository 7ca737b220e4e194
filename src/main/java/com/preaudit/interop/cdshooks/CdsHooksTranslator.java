package com.preaudit.interop.cdshooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.preaudit.audit.AuditRequest;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A CDS Hooks 2.0 order-select / order-sign request → a native audit request. Translation only. */
public final class CdsHooksTranslator {

    private final CdsHooksConfig config;

    public CdsHooksTranslator(CdsHooksConfig config) {
        this.config = config;
    }

    /** Patient data the prefetch did not provide: answered with 412 and an OperationOutcome. */
    public static final class MissingPrefetchException extends RuntimeException {
        public MissingPrefetchException(String message) {
            super(message);
        }
    }

    /** Anything else malformed: 400 naming the field (a JSON pointer into the hook request). */
    public static final class BadHookRequestException extends RuntimeException {
        private final String field;

        public BadHookRequestException(String message) {
            this("/context", message);
        }

        public BadHookRequestException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** FHIR AdministrativeGender → the native M/F/U; any other value is refused. */
    private static final java.util.Map<String, String> GENDERS = java.util.Map.of("male", "M", "female", "F", "other", "U", "unknown", "U");

    /** The audit request plus which line came from which FHIR resource ("MedicationRequest/103"). */
    public record Translated(AuditRequest request, java.util.Map<String, String> resourceOfLine) { }

    public Translated translate(JsonNode body, boolean selectionsOnly) {
        JsonNode context = body.path("context");
        if (!context.isObject()) {
            throw new BadHookRequestException("context is required");
        }
        String patientId = text(context, "patientId");
        if (patientId.isEmpty()) {
            throw new BadHookRequestException("context.patientId is required");
        }
        JsonNode prefetch = body.path("prefetch");
        JsonNode patient = prefetch.path("patient");
        if (!patient.isObject() || !"Patient".equals(text(patient, "resourceType"))) {
            throw new MissingPrefetchException("prefetch.patient (Patient/" + patientId + ") is required: gender and birthDate decide the rules");
        }
        String birth = text(patient, "birthDate");
        if (birth.isEmpty()) {
            throw new MissingPrefetchException("Patient.birthDate is missing from prefetch.patient");
        }
        LocalDate birthDate;
        try {
            if (!patient.get("birthDate").isTextual()) {
                throw new DateTimeParseException("not text", birth, 0);
            }
            birthDate = LocalDate.parse(birth.length() > 10 ? birth.substring(0, 10) : birth.length() == 4 ? birth + "-01-01"
                    : birth.length() == 7 ? birth + "-01" : birth);
        } catch (DateTimeParseException e) {
            throw new BadHookRequestException("/prefetch/patient/birthDate", "Patient.birthDate is not a FHIR date (text, yyyy-MM-dd): " + birth);
        }
        if (birthDate.isAfter(LocalDate.now().plusDays(1))) {
            throw new BadHookRequestException("/prefetch/patient/birthDate", "Patient.birthDate " + birth + " is in the future");
        }
        String fhirGender = text(patient, "gender");
        String gender = fhirGender.isEmpty() ? "U" : GENDERS.get(fhirGender);
        if (gender == null) {
            throw new BadHookRequestException("/prefetch/patient/gender",
                    "Patient.gender " + fhirGender + " is not one of male, female, other, unknown");
        }
        JsonNode draftOrders = context.path("draftOrders");
        if (!draftOrders.isObject()) {
            throw new BadHookRequestException("context.draftOrders (a FHIR Bundle) is required");
        }
        Set<String> selections = new HashSet<>();
        if (selectionsOnly) {
            JsonNode sel = context.path("selections");
            if (!sel.isArray() || sel.isEmpty()) {
                throw new BadHookRequestException("context.selections is required for order-select");
            }
            sel.forEach(s -> selections.add(s.asText()));
        }
        String encounterId = text(context, "encounterId");
        JsonNode encounter = prefetch.path("encounter");
        Scenario scenario = encounter.isObject() ? scenario(encounter) : null;
        List<AuditRequest.DiagnosisDto> diagnoses = diagnoses(prefetch.path("conditions"));
        String userId = text(context, "userId");
        String doctor = userId.contains("/") ? userId.substring(userId.indexOf('/') + 1) : userId.isEmpty() ? null : userId;

        List<AuditRequest.LineDto> lines = new ArrayList<>();
        java.util.Map<String, String> resourceOfLine = new java.util.LinkedHashMap<>();
        JsonNode entries = draftOrders.path("entry");
        for (int i = 0; entries.isArray() && i < entries.size(); i++) {
            JsonNode r = entries.get(i).path("resource");
            String at = "/context/draftOrders/entry/" + i + "/resource";
            String type = text(r, "resourceType");
            String ref = type + "/" + text(r, "id");
            if (!type.equals("MedicationRequest") && !type.equals("ServiceRequest")) {
                continue; // nutrition, vision, device orders carry no insurance item code here
            }
            if (selectionsOnly && !selections.contains(ref)) {
                continue;
            }
            AuditRequest.LineDto line = type.equals("MedicationRequest") ? medication(r, doctor, at) : service(r, doctor, at);
            if (line != null) {
                lines.add(line);
                resourceOfLine.put(line.id(), ref);
            }
        }
        JsonNode period = encounter.path("period");
        LocalDateTime admitted = dateTime(period, "start", "/prefetch/encounter/period");
        LocalDateTime discharged = dateTime(period, "end", "/prefetch/encounter/period");
        if (admitted != null && discharged != null && discharged.isBefore(admitted)) {
            throw new BadHookRequestException("/prefetch/encounter/period/end", "Encounter.period.end is before its start");
        }
        AuditRequest request = new AuditRequest(null, Stage.PRE_ORDER, scenario, null,
                new AuditRequest.PatientDto(patientId, gender, birthDate, null, null, List.of()),
                new AuditRequest.EncounterDto(encounterId.isEmpty() ? null : encounterId, admitted, discharged,
                        null, doctor, diagnoses, procedures(prefetch.path("procedures")), null, null),
                lines, List.of());
        return new Translated(request, resourceOfLine);
    }

    private AuditRequest.LineDto medication(JsonNode r, String doctor, String at) {
        String code = code(r.path("medicationCodeableConcept"), config.itemCodeSystem());
        if (code == null) {
            return null;
        }
        JsonNode dispense = r.path("dispenseRequest");
        BigDecimal quantity = decimal(dispense.path("quantity"), at + "/dispenseRequest/quantity/value");
        BigDecimal supply = decimal(dispense.path("expectedSupplyDuration"), at + "/dispenseRequest/expectedSupplyDuration/value");
        Integer days = supply == null ? null : (int) Math.ceil(supply.doubleValue());
        // the first dosage instruction: doseAndRate[0].doseQuantity, timing (code or repeat), route
        JsonNode dosage = r.path("dosageInstruction").path(0);
        JsonNode doseQ = dosage.path("doseAndRate").path(0).path("doseQuantity");
        BigDecimal dose = doseQ.path("value").isNumber() && doseQ.path("value").decimalValue().signum() > 0
                ? doseQ.path("value").decimalValue() : null;
        String unit = text(doseQ, "unit").isEmpty() ? text(doseQ, "code") : text(doseQ, "unit");
        if (dose != null && unit.isEmpty()) {
            dose = null; // a dose without its unit cannot be compared
        }
        JsonNode timing = dosage.path("timing");
        String frequency = timing.path("code").path("coding").path(0).path("code").asText("");
        if (frequency.isEmpty()) {
            frequency = timing.path("code").path("text").asText("");
        }
        return new AuditRequest.LineDto(text(r, "id"), code, display(r.path("medicationCodeableConcept")), "DRUG",
                quantity == null ? BigDecimal.ONE : quantity,
                null, null, null, dateTime(r, "authoredOn", at), days, null, doctor, null, null, null, null, null,
                dose, dose == null ? null : unit, frequency.isEmpty() ? null : frequency, timesPerDay(timing.path("repeat")),
                route(dosage.path("route")), null, null, null);
    }

    /** Timing.repeat {frequency, period, periodUnit} → administrations per day; null when not given in those terms. */
    static BigDecimal timesPerDay(JsonNode repeat) {
        if (!repeat.path("frequency").isNumber() || !repeat.path("period").isNumber()) {
            return null;
        }
        double perDay = switch (repeat.path("periodUnit").asText("")) {
            case "h" -> 24.0;
            case "d" -> 1.0;
            case "wk" -> 1.0 / 7;
            case "min" -> 24.0 * 60;
            default -> Double.NaN;
        };
        double period = repeat.path("period").asDouble();
        if (Double.isNaN(perDay) || period <= 0) {
            return null;
        }
        double t = repeat.path("frequency").asDouble() * perDay / period;
        return t > 0 && t <= 48 ? BigDecimal.valueOf(t).round(java.math.MathContext.DECIMAL64).stripTrailingZeros() : null;
    }

    private static String route(JsonNode route) {
        String code = route.path("coding").path(0).path("code").asText("");
        if (code.isEmpty()) {
            code = route.path("text").asText("");
        }
        return code.isEmpty() ? null : code.length() > 64 ? code.substring(0, 64) : code;
    }

    /**
     * prefetch.procedures (a Bundle of Procedure resources, or an array) → procedures; absent → null (not sent), so
     * procedure rules are skipped rather than passed. Entered-in-error and not-done procedures are left out.
     */
    private List<AuditRequest.ProcedureDto> procedures(JsonNode procedures) {
        List<JsonNode> resources = new ArrayList<>();
        if ("Bundle".equals(text(procedures, "resourceType"))) {
            iterable(procedures.path("entry")).forEach(e -> resources.add(e.path("resource")));
        } else if (procedures.isArray()) {
            procedures.forEach(resources::add);
        } else {
            return null;
        }
        List<AuditRequest.ProcedureDto> out = new ArrayList<>();
        for (JsonNode p : resources) {
            String status = text(p, "status");
            if (!"Procedure".equals(text(p, "resourceType")) || status.equals("entered-in-error") || status.equals("not-done")) {
                continue;
            }
            String code = code(p.path("code"), config.procedureCodeSystem());
            if (code == null) {
                continue;
            }
            LocalDateTime at = text(p, "performedDateTime").isEmpty()
                    ? dateTime(p.path("performedPeriod"), "start", "/prefetch/procedures/performedPeriod")
                    : dateTime(p, "performedDateTime", "/prefetch/procedures");
            out.add(new AuditRequest.ProcedureDto(code, display(p.path("code")), at, null));
        }
        return out;
    }

    private AuditRequest.LineDto service(JsonNode r, String doctor, String at) {
        String code = code(r.path("code"), config.itemCodeSystem());
        if (code == null) {
            return null;
        }
        BigDecimal quantity = decimal(r.path("quantityQuantity"), at + "/quantityQuantity/value");
        LocalDateTime when = text(r, "occurrenceDateTime").isEmpty() ? dateTime(r, "authoredOn", at) : dateTime(r, "occurrenceDateTime", at);
        return new AuditRequest.LineDto(text(r, "id"), code, display(r.path("code")), "SERVICE",
                quantity == null ? BigDecimal.ONE : quantity,
                null, null, null, when, null, null, doctor, null, null, null, null, null);
    }

    /** A FHIR Quantity's value: absent → null; present but not a JSON number → refused, never read as 0. */
    private static BigDecimal decimal(JsonNode quantity, String field) {
        JsonNode v = quantity.get("value");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new BadHookRequestException(field, "must be a JSON number, not " + v);
        }
        return v.decimalValue();
    }

    /** Encounter.class (v3 ActCode) → scenario. */
    static Scenario scenario(JsonNode encounter) {
        JsonNode cls = encounter.path("class");
        String code = cls.isArray() ? cls.path(0).path("coding").path(0).path("code").asText("") : cls.path("code").asText("");
        return switch (code) {
            case "AMB", "OBSENC" -> Scenario.OUTPATIENT;
            case "EMER" -> Scenario.EMERGENCY;
            case "IMP", "ACUTE", "NONAC", "SS" -> Scenario.INPATIENT;
            case "VR" -> Scenario.INTERNET;
            default -> null;
        };
    }

    private List<AuditRequest.DiagnosisDto> diagnoses(JsonNode conditions) {
        List<AuditRequest.DiagnosisDto> out = new ArrayList<>();
        List<JsonNode> resources = new ArrayList<>();
        if ("Bundle".equals(text(conditions, "resourceType"))) {
            iterable(conditions.path("entry")).forEach(e -> resources.add(e.path("resource")));
        } else if (conditions.isArray()) {
            conditions.forEach(resources::add);
        }
        for (JsonNode c : resources) {
            if (!"Condition".equals(text(c, "resourceType"))) {
                continue;
            }
            String code = code(c.path("code"), config.diagnosisCodeSystem());
            if (code != null) {
                out.add(new AuditRequest.DiagnosisDto(code, display(c.path("code")), out.isEmpty()));
            }
        }
        return out;
    }

    /** The code of the configured system, else the first coding's code. */
    static String code(JsonNode concept, String system) {
        JsonNode codings = concept.path("coding");
        if (!codings.isArray() || codings.isEmpty()) {
            return null;
        }
        for (JsonNode c : codings) {
            if (system.equals(c.path("system").asText()) && !c.path("code").asText("").isEmpty()) {
                return c.path("code").asText();
            }
        }
        String first = codings.path(0).path("code").asText("");
        return first.isEmpty() ? null : first;
    }

    private static String display(JsonNode concept) {
        String text = concept.path("text").asText("");
        if (!text.isEmpty()) {
            return text;
        }
        String d = concept.path("coding").path(0).path("display").asText("");
        return d.isEmpty() ? null : d;
    }

    /** A FHIR date or dateTime field: absent → null; present but not one → refused with its path. */
    private static LocalDateTime dateTime(JsonNode parent, String name, String at) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            return null;
        }
        LocalDateTime t = v.isTextual() ? dateTime(v.asText()) : null;
        if (t == null) {
            throw new BadHookRequestException(at + "/" + name, "must be a FHIR dateTime as text (yyyy-MM-ddTHH:mm:ss with an optional offset), not " + v);
        }
        return t;
    }

    private static LocalDateTime dateTime(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(s).toLocalDateTime();
            }
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        return n.isArray() ? n : List.of();
    }
}
