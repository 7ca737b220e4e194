package com.preaudit.engine.model;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * One order or charge line. {@code itemType} is DRUG, HERB, SERVICE or MATERIAL; {@code selfPay} marks a line
 * converted to self-pay; {@code encounterId} is only meaningful on history lines.
 *
 * <p>Clinical fields (all optional; a rule that needs one the line lacks is skipped for that line): {@code dose} per
 * administration in {@code doseUnit}; {@code frequency} as sent (QD, BID, TID, QID, Q8H, Q12H, QN, QOD, QW, ST, ONCE
 * or the Chinese descriptions the NHSA envelope carries) and {@code timesPerDay} when the caller knows it exactly;
 * {@code route} (给药途径); the ordering doctor's {@code doctorTitle} (CHIEF, ASSOCIATE_CHIEF, ATTENDING, RESIDENT,
 * ASSISTANT) and {@code antibioticLevel} privilege (1 非限制使用级, 2 限制使用级, 3 特殊使用级), each defaulting to the
 * encounter's; {@code feeCategory} (费别): the insurance type the line was priced under.
 */
public record Line(String id, String itemCode, String itemName, String itemType,
                   BigDecimal quantity, BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount,
                   LocalDateTime orderedAt, Integer days, String departmentCode, String doctorId,
                   String prescriptionNo, String groupNo, Boolean dischargeMedication,
                   Boolean selfPay, String encounterId,
                   BigDecimal dose, String doseUnit, String frequency, BigDecimal timesPerDay, String route,
                   String doctorTitle, Integer antibioticLevel, String feeCategory) {

    /** A line without clinical fields (charges, history read from the store, tests of round-one rules). */
    public Line(String id, String itemCode, String itemName, String itemType,
                BigDecimal quantity, BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount,
                LocalDateTime orderedAt, Integer days, String departmentCode, String doctorId,
                String prescriptionNo, String groupNo, Boolean dischargeMedication,
                Boolean selfPay, String encounterId) {
        this(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days, departmentCode,
            doctorId, prescriptionNo, groupNo, dischargeMedication, selfPay, encounterId,
            null, null, null, null, null, null, null, null);
    }
}
