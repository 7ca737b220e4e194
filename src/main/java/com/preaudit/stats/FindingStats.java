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
                      @Schema(description = "the department's, doctor's, rule's or item's name as the latest audit that named it gave it; "
                              + "null when no audit named it") String name,
                      @Schema(description = "distinct audits with a finding in this group") long audits,
                      long findings,
                      @Schema(description = "findings whose action was BLOCK") long blocked,
                      @Schema(description = "findings whose latest disposition is OVERRIDDEN") long overridden,
                      @Schema(description = "findings whose latest disposition is SELF_PAY") long selfPay,
                      @Schema(description = "findings whose latest disposition is MODIFIED") long modified,
                      @Schema(description = "overridden / findings, 0–1") double overrideRate,
                      @Schema(description = "amount of the flagged lines (元), each line once however many rules flag it; "
                              + "notices (INFO) and exempted findings put nothing at risk") BigDecimal amountAtRisk,
                      @Schema(description = "findings turned into notices by an exemption (特批/备案)") long exempted,
                      @Schema(description = "findings of SHADOW rules: recorded, never returned, never in the decision") long shadowFindings) { }

    @Schema(name = "DailyStatsRow")
    public record Day(LocalDate date,
                      @Schema(description = "audits answered that day") long audits,
                      long findings,
                      @Schema(description = "audits whose decision was BLOCK") long blocked,
                      @Schema(description = "audits whose decision was WARN") long warned,
                      @Schema(description = "audits whose decision was PASS") long passed,
                      @Schema(description = "findings of that day whose latest disposition is OVERRIDDEN") long overridden,
                      @Schema(description = "amount of the day's flagged lines (元), each line once; notices and exempted findings "
                              + "excluded") BigDecimal amountAtRisk) { }
}
