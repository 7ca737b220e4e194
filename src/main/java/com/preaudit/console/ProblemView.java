package com.preaudit.console;

import com.preaudit.platform.FieldError;

import java.util.List;
import java.util.Map;

/**
 * A validation problem as the rule author sees it: the field in Chinese, the message, and for a
 * problem inside an expression the text split around the offending character with its line and column.
 */
public record ProblemView(String field, String label, String message, Integer position, String before, String at, String after,
                          int line, int column) {

    static final Map<String, String> LABELS = Map.of("/when", "条件表达式（when）", "/message", "提示信息（message）",
            "/knowledgeSet", "知识库", "/name", "规则名称", "/actions", "各环节动作", "/resultType", "结果类型");

    public boolean positioned() {
        return position != null;
    }

    static ProblemView of(FieldError e, Map<String, String> texts) {
        String field = e.field();
        String label = LABELS.getOrDefault(field, field);
        Integer pos = e.position();
        String text = texts.get(field);
        if (pos == null || text == null) {
            return new ProblemView(field, label, e.message(), null, null, null, null, 0, 0);
        }
        int p = Math.max(0, Math.min(pos, text.length()));
        int line = 1, col = 1;
        for (int i = 0; i < p; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        String at = p < text.length() ? text.substring(p, p + 1) : " ";
        String after = p < text.length() ? text.substring(p + 1) : "";
        return new ProblemView(field, label, e.message(), p, text.substring(0, p), at, after, line, col);
    }

    static List<ProblemView> of(List<FieldError> errors, Map<String, String> texts) {
        return errors.stream().map(e -> of(e, texts)).toList();
    }
}
