package com.preaudit.interop;

import com.preaudit.audit.AuditService;
import com.preaudit.audit.DispositionStore;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Interop feedback names findings only; this finds each finding's audit and stores the items through
 * the same {@link DispositionStore} as {@code POST /audits/{id}/dispositions} (committed before return).
 */
@ApplicationScoped
public class DispositionFeedbackRecorder implements FeedbackRecorder {

    private final AuditService audits;
    private final DispositionStore store;

    public DispositionFeedbackRecorder(AuditService audits, DispositionStore store) {
        this.audits = audits;
        this.store = store;
    }

    @Override
    public void record(List<FeedbackItem> items) {
        Map<String, List<DispositionStore.Item>> byAudit = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem it = items.get(i);
            String auditId = audits.auditIdOfFinding(it.findingId()).orElse(null);
            if (auditId == null) {
                errors.add(new FieldError("/items/" + i + "/findingId", "unknown finding " + it.findingId()));
                continue;
            }
            byAudit.computeIfAbsent(auditId, a -> new ArrayList<>())
                    .add(new DispositionStore.Item(UUID.fromString(it.findingId()), it.disposition(), it.reason(), it.by()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("feedback names unknown findings; nothing was recorded", errors);
        }
        byAudit.forEach(store::store);
    }
}
