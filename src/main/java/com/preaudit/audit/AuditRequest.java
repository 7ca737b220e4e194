package com.preaudit.audit;

import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** Body of {@code POST /api/v1/audits} (PRODUCT.md §3.1). */
@Schema(name = "AuditRequest")
public record AuditRequest(
        @Schema(description = "the caller's id; the same id within 24 hours returns the stored answer") String requestId,
        @Schema(required = true) Stage stage,
        Scenario scenario,
        HospitalDto hospital,
        @Schema(required = true) PatientDto patient,
        EncounterDto encounter,
        @Schema(required = true) List<LineDto> lines,
        @Schema(description = "earlier lines of the same patient not audited now") List<LineDto> history) {

    @Schema(name = "AuditHospital")
    public record HospitalDto(String id, @Schema(description = "1, 2 or 3 (一级/二级/三级)") Integer level) { }

    @Schema(name = "AuditPatient")
    public record PatientDto(@Schema(required = true) String id,
                             @Schema(required = true, enumeration = {"M", "F", "U"}) String gender,
                             @Schema(required = true) LocalDate birthDate,
                             @Schema(enumeration = {"EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY", "SELF_PAY"}) String insuranceType,
                             String pregnancy,
                             @Schema(description = "ICD-10 codes of the patient's qualified chronic (门诊慢特病) diseases") List<String> chronicDiseases) { }

    @Schema(name = "AuditDiagnosis")
    public record DiagnosisDto(String code, String name, Boolean primary) { }

    @Schema(name = "AuditEncounter")
    public record EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                               String doctorId, List<DiagnosisDto> diagnoses,
                               @Schema(description = "department name (科室名称), shown in statistics") String departmentName,
                               @Schema(description = "doctor name (医生姓名), shown in statistics") String doctorName) {

        public EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                            String doctorId, List<DiagnosisDto> diagnoses) {
            this(id, admittedAt, dischargedAt, departmentCode, doctorId, diagnoses, null, null);
        }
    }

    @Schema(name = "AuditLine")
    public record LineDto(@Schema(required = true) String id,
                          @Schema(required = true, description = "national insurance code (医保编码)") String itemCode,
                          String itemName,
                          @Schema(enumeration = {"DRUG", "HERB", "SERVICE", "MATERIAL"}) String itemType,
                          @Schema(required = true) BigDecimal quantity,
                          BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount,
                          LocalDateTime orderedAt, Integer days, String departmentCode, String doctorId,
                          String prescriptionNo, String groupNo, Boolean dischargeMedication,
                          @Schema(description = "the line is paid by the patient (转自费)") Boolean selfPay,
                          @Schema(description = "encounter of a history line") String encounterId,
                          @Schema(description = "name of the line's ordering department, when it is not the encounter's") String departmentName,
                          @Schema(description = "name of the line's ordering doctor, when it is not the encounter's") String doctorName) {

        public LineDto(String id, String itemCode, String itemName, String itemType, BigDecimal quantity, BigDecimal unitPrice,
                       BigDecimal listPrice, BigDecimal amount, LocalDateTime orderedAt, Integer days, String departmentCode,
                       String doctorId, String prescriptionNo, String groupNo, Boolean dischargeMedication, Boolean selfPay,
                       String encounterId) {
            this(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days, departmentCode, doctorId,
                    prescriptionNo, groupNo, dischargeMedication, selfPay, encounterId, null, null);
        }
    }
}
