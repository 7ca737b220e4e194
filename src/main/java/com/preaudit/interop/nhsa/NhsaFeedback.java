package com.preaudit.interop.nhsa;

import com.fasterxml.jackson.databind.JsonNode;
import com.preaudit.interop.FeedbackItem;
import com.preaudit.interop.FeedbackRecorder;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * NHSA 3103 {@code data.warns[]} → dispositions: dspo_way 1 (继续执行) → OVERRIDDEN with its reason,
 * 2 (返回修改) → MODIFIED.
 */
@ApplicationScoped
public class NhsaFeedback {

    private final FeedbackRecorder recorder;

    public NhsaFeedback(FeedbackRecorder recorder) {
        this.recorder = recorder;
    }

    public void record(JsonNode data) {
        JsonNode warns = data.path("warns");
        if (!warns.isArray() || warns.isEmpty()) {
            throw new NhsaTranslator.EnvelopeException("input.data.warns 不能为空 (is required)");
        }
        String by = NhsaTranslator.text(data, "opter");
        List<FeedbackItem> items = new ArrayList<>();
        for (int i = 0; i < warns.size(); i++) {
            JsonNode w = warns.get(i);
            String path = "warns[" + i + "]";
            String id = NhsaTranslator.text(w, "warn_rslt_id");
            if (id.isEmpty()) {
                throw new NhsaTranslator.EnvelopeException(path + ".warn_rslt_id 不能为空 (is required)");
            }
            String way = NhsaTranslator.text(w, "dspo_way");
            String reason = NhsaTranslator.text(w, "dspo_way_rea");
            switch (way) {
                case "1" -> {
                    if (reason.isEmpty()) {
                        throw new NhsaTranslator.EnvelopeException(path + ".dspo_way_rea 继续执行时必须填写理由 (a reason is required with dspo_way 1)");
                    }
                    items.add(new FeedbackItem(id, "OVERRIDDEN", reason, by.isEmpty() ? null : by));
                }
                case "2" -> items.add(new FeedbackItem(id, "MODIFIED", reason.isEmpty() ? null : reason, by.isEmpty() ? null : by));
                default -> throw new NhsaTranslator.EnvelopeException(path + ".dspo_way 只能为 1 或 2 (must be 1 continue or 2 return and modify)");
            }
        }
        recorder.record(items);
    }
}
