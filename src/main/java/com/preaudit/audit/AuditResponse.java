package com.preaudit.audit;

import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.ResultType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;

/** Answer of {@code POST /api/v1/audits} (PRODUCT.md §3.1). */
@Schema(name = "AuditResponse")
public record AuditResponse(String auditId, long catalogVersion, Decision decision, List<FindingDto> findings,
                            List<SkippedDto> skipped, boolean degraded, long elapsedMicros) {

    @Schema(name = "Finding")
    public record FindingDto(String id, String ruleCode, String ruleName, ResultType resultType, Action action,
                             List<String> lineIds, List<String> itemCodes, String message, BigDecimal amountAtRisk,
                             String knowledgePointId, String basis) { }

    @Schema(name = "Skipped")
    public record SkippedDto(String ruleCode, String reason) { }
}
