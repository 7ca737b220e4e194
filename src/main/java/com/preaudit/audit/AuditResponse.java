package com.preaudit.audit;

import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.Decision;
import com.preaudit.engine.model.ResultType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;

/**
 * Answer of {@code POST /api/v1/audits} (PRODUCT.md §3.1). {@code recorded}: the audit's record is committed
 * (with {@code preaudit.audit.ack=queued}: handed to a writer that reaches the database); false while the
 * database is unreachable, with {@code degraded: true}, and for dry runs, which are never recorded.
 */
@Schema(name = "AuditResponse")
public record AuditResponse(String auditId, long catalogVersion, Decision decision, List<FindingDto> findings,
                            List<SkippedDto> skipped, boolean degraded,
                            @Schema(description = "the audit record is stored (false while the database is unreachable: it is stored when it returns)")
                            boolean recorded, long elapsedMicros) {

    /** This answer as given when its record could not be committed. */
    AuditResponse unrecorded() {
        return new AuditResponse(auditId, catalogVersion, decision, findings, skipped, true, false, elapsedMicros);
    }

    @Schema(name = "Finding")
    public record FindingDto(String id, String ruleCode, String ruleName, ResultType resultType, Action action,
                             List<String> lineIds, List<String> itemCodes, String message, BigDecimal amountAtRisk,
                             String knowledgePointId, String basis,
                             @Schema(description = "the exemption (特批/备案) that made this finding a notice (action INFO); absent otherwise")
                             @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                             String exemptionId) {

        public FindingDto(String id, String ruleCode, String ruleName, ResultType resultType, Action action,
                          List<String> lineIds, List<String> itemCodes, String message, BigDecimal amountAtRisk,
                          String knowledgePointId, String basis) {
            this(id, ruleCode, ruleName, resultType, action, lineIds, itemCodes, message, amountAtRisk, knowledgePointId, basis, null);
        }
    }

    @Schema(name = "Skipped")
    public record SkippedDto(String ruleCode, String reason) { }
}
