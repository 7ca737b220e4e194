package com.preaudit.platform;

import java.util.List;

/** The five roles of PRODUCT.md §10, as the names credentials carry and {@code @RolesAllowed} checks. */
public final class Roles {

    public static final String AUDIT_CLIENT = "audit-client";
    public static final String RULE_AUTHOR = "rule-author";
    public static final String RULE_PUBLISHER = "rule-publisher";
    public static final String ANALYST = "analyst";
    public static final String ADMIN = "admin";

    /** Every role, in the order of the §10 table: the allowed values a 4xx lists. */
    public static final List<String> ALL = List.of(AUDIT_CLIENT, RULE_AUTHOR, RULE_PUBLISHER, ANALYST, ADMIN);

    private Roles() {
    }
}
