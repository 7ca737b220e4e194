package com.preaudit.console;

import com.preaudit.platform.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test credentials for the console's sign-in form until the identity branch's token verifier is merged:
 * fixed token values standing for a user of each role.
 */
@ApplicationScoped
public class TestTokens implements TokenSignIn {

    public static final String ADMIN = "test-console-admin";
    public static final String AUTHOR = "test-console-author";
    public static final String PUBLISHER = "test-console-publisher";
    public static final String ANALYST = "test-console-analyst";
    public static final String CLIENT = "test-console-client";

    static final Map<String, String[]> USERS = Map.of(
            ADMIN, new String[] {"医保科-管理员", Roles.ADMIN},
            AUTHOR, new String[] {"医保科-规则编写", Roles.RULE_AUTHOR},
            PUBLISHER, new String[] {"医保科-发布", Roles.RULE_PUBLISHER},
            ANALYST, new String[] {"医保科-分析", Roles.ANALYST},
            CLIENT, new String[] {"his-outpatient", Roles.AUDIT_CLIENT});

    @Override
    public Optional<SecurityIdentity> verify(String token) {
        String[] u = USERS.get(token);
        if (u == null) {
            return Optional.empty();
        }
        return Optional.of(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(u[0])).addRoles(Set.of(u[1])).build());
    }
}
