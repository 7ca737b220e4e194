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
                             @Schema(enumeration = {"NONE", "PREGNANT", "LACTATING"},
                                     description = "妊娠/哺乳状态; rules about pregnancy skip a female patient without it") String pregnancy,
                             @Schema(description = "ICD-10 codes of the patient's qualified chronic (门诊慢特病) diseases") List<String> chronicDiseases) { }

    @Schema(name = "AuditDiagnosis")
    public record DiagnosisDto(String code, String name, Boolean primary) { }

    @Schema(name = "AuditProcedure")
    public record ProcedureDto(@Schema(required = true, description = "ICD-9-CM-3 operation/procedure code (医保版)") String code,
                               String name,
                               @Schema(description = "when it was done (start)") LocalDateTime at,
                               @Schema(description = "the main operation (主要手术)") Boolean primary) { }

    @Schema(name = "AuditEncounter")
    public record EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                               String doctorId, List<DiagnosisDto> diagnoses,
                               @Schema(description = "operations and procedures of the encounter; absent = not sent (rules that need them are skipped), [] = none")
                               List<ProcedureDto> procedures,
                               @Schema(enumeration = {"CHIEF", "ASSOCIATE_CHIEF", "ATTENDING", "RESIDENT", "ASSISTANT"},
                                       description = "default 医师职称 of the lines' ordering doctor: 主任医师/副主任医师/主治医师/医师/医士")
                               String doctorTitle,
                               @Schema(description = "default antibiotic prescribing privilege of the ordering doctor: 1 非限制使用级, 2 限制使用级, 3 特殊使用级",
                                       minimum = "1", maximum = "3")
                               Integer antibioticLevel,
                               @Schema(description = "department name (科室名称), shown in statistics") String departmentName,
                               @Schema(description = "doctor name (医生姓名), shown in statistics") String doctorName) {

        /** An encounter without procedures or doctor privilege data. */
        public EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                            String doctorId, List<DiagnosisDto> diagnoses) {
            this(id, admittedAt, dischargedAt, departmentCode, doctorId, diagnoses, null, null, null, null, null);
        }

        /** An encounter with clinical data, without names. */
        public EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                            String doctorId, List<DiagnosisDto> diagnoses, List<ProcedureDto> procedures, String doctorTitle,
                            Integer antibioticLevel) {
            this(id, admittedAt, dischargedAt, departmentCode, doctorId, diagnoses, procedures, doctorTitle, antibioticLevel,
                    null, null);
        }

        /** An encounter with names, without clinical data. */
        public EncounterDto(String id, LocalDateTime admittedAt, LocalDateTime dischargedAt, String departmentCode,
                            String doctorId, List<DiagnosisDto> diagnoses, String departmentName, String doctorName) {
            this(id, admittedAt, dischargedAt, departmentCode, doctorId, diagnoses, null, null, null, departmentName, doctorName);
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
                          @Schema(description = "dose per administration (单次剂量), in doseUnit; > 0") BigDecimal dose,
                          @Schema(description = "unit of dose: g, mg, μg, ml, IU, 万IU, U, 万U (or 克, 毫克 …); required with dose") String doseUnit,
                          @Schema(description = "frequency (使用频次): QD, BID, TID, QID, QnH, QN, QOD, QW, BIW, TIW, ST, ONCE or 每日一次 …") String frequency,
                          @Schema(description = "administrations per day when known exactly (overrides frequency); > 0, ≤ 48") BigDecimal timesPerDay,
                          @Schema(description = "route (给药途径), e.g. PO 口服, IV 静脉注射, IVGTT 静脉滴注, IM 肌内注射, SC 皮下注射, TOP 外用") String route,
                          @Schema(enumeration = {"CHIEF", "ASSOCIATE_CHIEF", "ATTENDING", "RESIDENT", "ASSISTANT"},
                                  description = "医师职称 of the ordering doctor; defaults to encounter.doctorTitle") String doctorTitle,
                          @Schema(description = "antibiotic privilege of the ordering doctor (1 非限制使用级, 2 限制使用级, 3 特殊使用级); defaults to encounter.antibioticLevel, then to the highest tier the title can be granted",
                                  minimum = "1", maximum = "3") Integer antibioticLevel,
                          @Schema(enumeration = {"EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY", "SELF_PAY"},
                                  description = "费别: the insurance type the line was priced under") String feeCategory,
                          @Schema(description = "name of the line's ordering department, when it is not the encounter's") String departmentName,
                          @Schema(description = "name of the line's ordering doctor, when it is not the encounter's") String doctorName) {

        /** A line without clinical fields. */
        public LineDto(String id, String itemCode, String itemName, String itemType, BigDecimal quantity,
                       BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount, LocalDateTime orderedAt, Integer days,
                       String departmentCode, String doctorId, String prescriptionNo, String groupNo,
                       Boolean dischargeMedication, Boolean selfPay, String encounterId) {
            this(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days, departmentCode,
                    doctorId, prescriptionNo, groupNo, dischargeMedication, selfPay, encounterId,
                    null, null, null, null, null, null, null, null, null, null);
        }

        /** A line with clinical fields, without names. */
        public LineDto(String id, String itemCode, String itemName, String itemType, BigDecimal quantity,
                       BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount, LocalDateTime orderedAt, Integer days,
                       String departmentCode, String doctorId, String prescriptionNo, String groupNo,
                       Boolean dischargeMedication, Boolean selfPay, String encounterId, BigDecimal dose, String doseUnit,
                       String frequency, BigDecimal timesPerDay, String route, String doctorTitle, Integer antibioticLevel,
                       String feeCategory) {
            this(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days, departmentCode,
                    doctorId, prescriptionNo, groupNo, dischargeMedication, selfPay, encounterId, dose, doseUnit, frequency,
                    timesPerDay, route, doctorTitle, antibioticLevel, feeCategory, null, null);
        }

        /** A line with names, without clinical fields. */
        public LineDto(String id, String itemCode, String itemName, String itemType, BigDecimal quantity,
                       BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount, LocalDateTime orderedAt, Integer days,
                       String departmentCode, String doctorId, String prescriptionNo, String groupNo,
                       Boolean dischargeMedication, Boolean selfPay, String encounterId, String departmentName, String doctorName) {
            this(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days, departmentCode,
                    doctorId, prescriptionNo, groupNo, dischargeMedication, selfPay, encounterId,
                    null, null, null, null, null, null, null, null, departmentName, doctorName);
        }
    }
}
