package com.preaudit.console;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services check input once, for the API and the console alike, and name the field in English. The 医保科 user
 * reads the field's label and the usual messages in Chinese; a message not known here is shown as the service
 * wrote it rather than hidden.
 */
final class FieldMessages {

    private record Rule(Pattern pattern, String chinese) { }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("is required \\(yyyy-MM-dd\\)"), "必填，格式为 yyyy-MM-dd"),
            new Rule(Pattern.compile("is required.*"), "必填"),
            new Rule(Pattern.compile("must be a date yyyy-MM-dd, (?:got|not) '(.*)'"), "应为日期 yyyy-MM-dd，填写的是“$1”"),
            new Rule(Pattern.compile("must not be before (?:validFrom|from) \\((.*)\\)"), "不能早于开始日期 $1"),
            new Rule(Pattern.compile("no rule (\\S+) in the active catalog version (\\d+)"), "生效版本 v$2 中没有规则 $1"),
            new Rule(Pattern.compile("at most (\\d+) characters"), "最多 $1 个字符"),
            new Rule(Pattern.compile("must not contain U\\+0000"), "含有不可见的空字符"),
            new Rule(Pattern.compile("no catalog version is active yet"), "还没有生效版本"),
            new Rule(Pattern.compile("no catalog version (\\d+)"), "没有版本 v$1"),
            new Rule(Pattern.compile("must be one of (.*)"), "应为以下之一：$1"));

    private FieldMessages() {
    }

    /** "label：message" per error, the field named by {@code labels} (its path when unknown). */
    static List<String> of(List<FieldError> errors, Map<String, String> labels) {
        return errors.stream().map(e -> labels.getOrDefault(e.field(), e.field()) + "：" + chinese(e.message())).toList();
    }

    /** What a refused form shows: each field error as {@link #of(List, Map)}, or {@code refusal} when no field is named. */
    static List<String> of(ApiException e, Map<String, String> labels, String refusal) {
        return e.errors().isEmpty() ? List.of(refusal) : of(e.errors(), labels);
    }

    static String chinese(String message) {
        if (message == null) {
            return "";
        }
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(message);
            if (m.matches()) {
                return m.replaceAll(r.chinese());
            }
        }
        return message;
    }
}
