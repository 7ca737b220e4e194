package com.preaudit.stats;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Rows of the statistics API (PRODUCT.md §3.4). */
public final class FindingStats {

    private FindingStats() {
    }

    @Schema(name = "FindingStatsRow")
    public record Row(@Schema(description = "department code, doctor id, rule code or item code; null for findings without one") String key,
                      @Schema(description = "rule name when grouped by rule") String name,
                      @Schema(description = "distinct audits with a finding in this group") long audits,
                      long findings,
                      @Schema(description = "findings whose action was BLOCK") long blocked,
                      @Schema(description = "findings whose latest disposition is OVERRIDDEN") long overridden,
                      @Schema(description = "findings whose latest disposition is SELF_PAY") long selfPay,
                      @Schema(description = "findings whose latest disposition is MODIFIED") long modified,
                      @Schema(description = "overridden / findings, 0–1") double overrideRate,
                      @Schema(description = "sum of the findings' amounts at risk (元)") BigDecimal amountAtRisk) { }

    @Schema(name = "DailyStatsRow")
    public record Day(LocalDate date,
                      @Schema(description = "audits answered that day") long audits,
                      long findings,
                      @Schema(description = "audits whose decision was BLOCK") long blocked,
                      @Schema(description = "audits whose decision was WARN") long warned,
                      @Schema(description = "audits whose decision was PASS") long passed,
                      @Schema(description = "findings of that day whose latest disposition is OVERRIDDEN") long overridden,
                      BigDecimal amountAtRisk) { }
}
