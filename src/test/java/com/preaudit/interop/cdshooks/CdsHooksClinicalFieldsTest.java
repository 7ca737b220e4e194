package com.preaudit.interop.cdshooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.audit.AuditRequest;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MedicationRequest.dosageInstruction and the procedures prefetch as the clinical rules read them. */
class CdsHooksClinicalFieldsTest {
    private static final CdsHooksTranslator TRANSLATOR = new CdsHooksTranslator(new CdsHooksConfig() {
        @Override public String itemCodeSystem() { return "urn:nhsa:hilist"; }
        @Override public String diagnosisCodeSystem() { return "http://hl7.org/fhir/sid/icd-10"; }
        @Override public String procedureCodeSystem() { return "http://hl7.org/fhir/sid/icd-9-cm"; }
        @Override public String sourceLabel() { return "t"; }
    });

    private static AuditRequest translate(String dosage, String prefetchExtra) throws Exception {
        String json = """
            {"hook": "order-sign", "context": {"patientId": "p1", "encounterId": "e1", "draftOrders": {"resourceType": "Bundle",
              "entry": [{"resource": {"resourceType": "MedicationRequest", "id": "m1",
                 "medicationCodeableConcept": {"coding": [{"system": "urn:nhsa:hilist", "code": "XJ01XAW001B001010100453"}]}
                 %s}}]}},
             "prefetch": {"patient": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1990-01-01"} %s}}
            """.formatted(dosage, prefetchExtra);
        return TRANSLATOR.translate(new ObjectMapper().readTree(json), false).request();
    }

    @Test
    void dosageInstructionGivesDoseFrequencyAndRoute() throws Exception {
        AuditRequest.LineDto l = translate("""
            , "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 12, "periodUnit": "h"}},
                 "route": {"coding": [{"system": "http://snomed.info/sct", "code": "47625008", "display": "Intravenous"}]},
                 "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "g"}}]}]""", "").lines().get(0);
        assertEquals(new BigDecimal("1"), l.dose());
        assertEquals("g", l.doseUnit());
        assertEquals(0, new BigDecimal("2").compareTo(l.timesPerDay()));
        assertEquals("47625008", l.route());
        AuditRequest.LineDto coded = translate("""
            , "dosageInstruction": [{"timing": {"code": {"coding": [{"code": "TID"}]}},
                 "doseAndRate": [{"doseQuantity": {"value": 500, "code": "mg"}}]}]""", "").lines().get(0);
        assertEquals("TID", coded.frequency());
        assertEquals("mg", coded.doseUnit());
        assertNull(coded.timesPerDay());
    }

    @Test
    void aDoseWithoutAUnitIsLeftOut() throws Exception {
        AuditRequest.LineDto l = translate(", \"dosageInstruction\": [{\"doseAndRate\": [{\"doseQuantity\": {\"value\": 2}}]}]", "")
            .lines().get(0);
        assertNull(l.dose());
        assertNull(l.doseUnit());
    }

    @Test
    void proceduresPrefetch() throws Exception {
        AuditRequest r = translate("", """
            , "procedures": {"resourceType": "Bundle", "entry": [
                {"resource": {"resourceType": "Procedure", "status": "completed", "performedDateTime": "2025-06-13T09:30:00",
                  "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-9-cm", "code": "47.0901", "display": "阑尾切除术"}]}}},
                {"resource": {"resourceType": "Procedure", "status": "entered-in-error",
                  "code": {"coding": [{"code": "99.9"}]}}}]}""");
        assertEquals(List.of(new AuditRequest.ProcedureDto("47.0901", "阑尾切除术", LocalDateTime.of(2025, 6, 13, 9, 30), null)),
            r.encounter().procedures());
        assertNull(translate("", "").encounter().procedures(), "no procedures prefetch: not sent");
    }
}
