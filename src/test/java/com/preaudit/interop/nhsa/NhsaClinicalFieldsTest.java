package com.preaudit.interop.nhsa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.audit.AuditRequest;
import com.preaudit.engine.model.Stage;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 3101/3102 fields the clinical rules read: dose/frequency/route, the doctor's title, 生育状态, operations. */
class NhsaClinicalFieldsTest {
    private static final NhsaTranslator TRANSLATOR = new NhsaTranslator(new NhsaConfig() {
        @Override public String hospitalLevels() { return "01=3"; }
        @Override public String insuranceTypes() { return "310=EMPLOYEE"; }
        @Override public String medTypes() { return "21=INPATIENT"; }
        @Override public String mdtrtTypes() { return "2=INPATIENT"; }
    });

    private static AuditRequest translate(String encounterExtra, String orderExtra) throws Exception {
        String json = """
            {"patient_dtos": [{"patn_id": "p1", "gend": "2", "brdy": "1990-01-01",
              "fsi_encounter_dtos": [{"mdtrt_id": "m1", "med_type": "21", "insutype": "310" %s,
                "fsi_order_dtos": [{"rx_id": "o1", "hilist_code": "XJ01XAW001B001010100453", "hilist_type": "101",
                                    "cnt": 2, "rxno": "R1" %s}]}]}]}""".formatted(encounterExtra, orderExtra);
        return TRANSLATOR.translate(new ObjectMapper().readTree(json), Stage.PRE_ORDER, "m").get(0).request();
    }

    @Test
    void orderDoseFrequencyRouteAndDoctorTitle() throws Exception {
        AuditRequest.LineDto l = translate("", """
            , "sin_dos_dscr": "0.5g", "used_frqu_dscr": "q12h", "medc_way_dscr": "静脉滴注", "drord_dr_profttl": "234"
            """).lines().get(0);
        assertEquals(new BigDecimal("0.5"), l.dose());
        assertEquals("g", l.doseUnit());
        assertEquals("q12h", l.frequency());
        assertEquals("静脉滴注", l.route());
        assertEquals("RESIDENT", l.doctorTitle());
        assertEquals("CHIEF", translate("", ", \"drord_dr_profttl\": \"231\"").lines().get(0).doctorTitle());
    }

    @Test
    void aDoseDescriptionThatIsNotANumberAndAUnitIsLeftOut() throws Exception {
        AuditRequest.LineDto l = translate("", ", \"sin_dos_dscr\": \"适量\", \"drord_dr_profttl\": \"999\"").lines().get(0);
        assertNull(l.dose());
        assertNull(l.doseUnit());
        assertNull(l.doctorTitle());
    }

    @Test
    void maternityStatusAndOperations() throws Exception {
        AuditRequest r = translate("""
            , "matn_stas": "1", "fsi_operation_dtos": [{"oprn_code": "74.1x01", "oprn_name": "子宫下段剖宫产术",
               "oprn_date": "2025-06-13 09:30:00", "main_oprn_flag": "1"}]""", "");
        assertEquals("PREGNANT", r.patient().pregnancy());
        assertEquals(List.of(new AuditRequest.ProcedureDto("74.1x01", "子宫下段剖宫产术", LocalDateTime.of(2025, 6, 13, 9, 30), true)),
            r.encounter().procedures());
        assertEquals("LACTATING", translate(", \"matn_stas\": \"2\"", "").patient().pregnancy());
        assertEquals("NONE", translate(", \"matn_stas\": \"0\"", "").patient().pregnancy());
        AuditRequest none = translate("", "");
        assertNull(none.patient().pregnancy(), "absent 生育状态 is not sent, not NONE");
        assertNull(none.encounter().procedures(), "absent fsi_operation_dtos is not sent, not 'no operations'");
        assertEquals(List.of(), translate(", \"fsi_operation_dtos\": []", "").encounter().procedures());
        assertThrows(NhsaTranslator.EnvelopeException.class,
            () -> translate(", \"fsi_operation_dtos\": [{\"oprn_name\": \"x\"}]", ""));
    }
}
