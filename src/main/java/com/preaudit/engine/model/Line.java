package com.preaudit.engine.model;

import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * One order or charge line. {@code itemType} is DRUG, HERB, SERVICE or MATERIAL; {@code selfPay} marks a line
 * converted to self-pay; {@code encounterId} is only meaningful on history lines.
 */
public record Line(String id, String itemCode, String itemName, String itemType,
                   BigDecimal quantity, BigDecimal unitPrice, BigDecimal listPrice, BigDecimal amount,
                   LocalDateTime orderedAt, Integer days, String departmentCode, String doctorId,
                   String prescriptionNo, String groupNo, Boolean dischargeMedication,
                   Boolean selfPay, String encounterId) {}
