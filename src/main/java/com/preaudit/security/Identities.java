package com.preaudit.security;

import com.preaudit.platform.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds the identity of a verified credential, with the rights each §10 role includes. */
final class Identities {

    /** The attribute naming where a credential came from: {@code token}, {@code oidc} or {@code cds-client}. */
    static final String SOURCE = "preaudit.credential-source";
    /** The attribute carrying the PreAudit token id, or the JWT's issuer. */
    static final String CREDENTIAL_ID = "preaudit.credential-id";

    private Identities() {
    }

    static SecurityIdentity of(String subject, Collection<String> roles, String source, String credentialId) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(subject))
                .addRoles(implied(roles))
                .addAttribute(SOURCE, source);
        if (credentialId != null) {
            b.addAttribute(CREDENTIAL_ID, credentialId);
        }
        return b.build();
    }

    /**
     * The roles a credential acts with: the named ones, plus what §10 says they include. A
     * rule-publisher has rule-author's rights; an admin may do everything. Names outside the five
     * (an identity provider's own groups) are kept but grant nothing here.
     */
    static Set<String> implied(Collection<String> named) {
        Set<String> roles = new LinkedHashSet<>(named);
        if (roles.contains(Roles.ADMIN)) {
            roles.addAll(Roles.ALL);
        }
        if (roles.contains(Roles.RULE_PUBLISHER)) {
            roles.add(Roles.RULE_AUTHOR);
        }
        return roles;
    }
}
