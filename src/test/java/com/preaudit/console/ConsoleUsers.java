package com.preaudit.console;

import com.preaudit.platform.Roles;
import com.preaudit.support.TestCredentials;
import com.preaudit.support.Tokens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** PreAudit tokens of one user per role, minted through the API (once per test run) for the sign-in form. */
final class ConsoleUsers {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private ConsoleUsers() {
    }

    static String admin() {
        return TestCredentials.ADMIN_TOKEN;
    }

    static String author() {
        return TOKENS.computeIfAbsent(Roles.RULE_AUTHOR, r -> Tokens.mint("医保科-规则编写", r));
    }

    static String publisher() {
        return TOKENS.computeIfAbsent(Roles.RULE_PUBLISHER, r -> Tokens.mint("医保科-发布", r));
    }

    /** A second rule-publisher: the four-eyes approver of what {@link #publisher()} publishes. */
    static String reviewer() {
        return TOKENS.computeIfAbsent(Roles.RULE_PUBLISHER + "#2", r -> Tokens.mint("医保科-复核", Roles.RULE_PUBLISHER));
    }

    static String analyst() {
        return TOKENS.computeIfAbsent(Roles.ANALYST, r -> Tokens.mint("医保科-分析", r));
    }

    static String client() {
        return TOKENS.computeIfAbsent(Roles.AUDIT_CLIENT, r -> Tokens.mint("his-outpatient", r));
    }
}
