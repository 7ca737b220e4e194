package com.preaudit.console;

import com.preaudit.platform.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The signed-in console user as the templates see it ({@code inject:consoleUser}): who, and what the
 * roles of PRODUCT.md §10 let them see and do. Pages are also guarded by {@code @RolesAllowed}; these
 * answers only decide which links and buttons are shown.
 */
@Named("consoleUser")
@RequestScoped
public class ConsoleUser {

    /** Who may read the catalog (rules, knowledge sets, versions). */
    static final String[] CATALOG_READERS = {Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ANALYST, Roles.ADMIN};
    /** Who may edit the draft, validate, test and dry-run. */
    static final String[] AUTHORS = {Roles.RULE_AUTHOR, Roles.RULE_PUBLISHER, Roles.ADMIN};
    /** Who may publish and activate. */
    static final String[] PUBLISHERS = {Roles.RULE_PUBLISHER, Roles.ADMIN};
    /** Who may read statistics, audits and dispositions. */
    static final String[] ANALYSTS = {Roles.ANALYST, Roles.ADMIN};
    /** Who may read exemptions (特批). */
    static final String[] EXEMPTION_READERS = {Roles.ANALYST, Roles.RULE_PUBLISHER, Roles.ADMIN};
    /** Who may run and read impact simulations (试运行): the rule authors and up, as the API. */
    static final String[] SIMULATORS = AUTHORS;
    /** Who may read the change log ("analyst and up"). */
    static final String[] CHANGE_READERS = {Roles.ANALYST, Roles.RULE_PUBLISHER, Roles.ADMIN};

    @Inject
    SecurityIdentity identity;

    public boolean signedIn() {
        return identity != null && !identity.isAnonymous();
    }

    public String subject() {
        return signedIn() ? identity.getPrincipal().getName() : "";
    }

    /** The name the header shows: the identity provider's name for the user, else the subject. */
    public String displayName() {
        Object n = signedIn() ? identity.getAttribute(ConsoleAuthMechanism.ATTR_DISPLAY_NAME) : null;
        return n == null ? subject() : n.toString();
    }

    /** Whether the session was opened at the hospital's identity provider (sign-out ends the provider's session too). */
    boolean viaIdentityProvider() {
        return signedIn() && Boolean.TRUE.equals(identity.getAttribute(ConsoleAuthMechanism.ATTR_VIA_IDP));
    }

    public String roles() {
        return signedIn() ? String.join(", ", new java.util.TreeSet<>(identity.getRoles())) : "";
    }

    public String csrf() {
        Object t = signedIn() ? identity.getAttribute(ConsoleAuthMechanism.ATTR_CSRF) : null;
        return t == null ? "" : t.toString();
    }

    String sessionHash() {
        Object t = signedIn() ? identity.getAttribute(ConsoleAuthMechanism.ATTR_SESSION) : null;
        return t == null ? null : t.toString();
    }

    public boolean canStats() {
        return any(ANALYSTS);
    }

    public boolean canCatalog() {
        return any(CATALOG_READERS);
    }

    public boolean canEdit() {
        return any(AUTHORS);
    }

    public boolean canPublish() {
        return any(PUBLISHERS);
    }

    public boolean canAudits() {
        return any(ANALYSTS);
    }

    /** Approve or reject a pending version, grant and revoke exemptions: the rule-publisher's rights. */
    public boolean canApprove() {
        return any(PUBLISHERS);
    }

    public boolean canSimulate() {
        return any(SIMULATORS);
    }

    public boolean canExemptions() {
        return any(EXEMPTION_READERS);
    }

    public boolean canGrant() {
        return any(PUBLISHERS);
    }

    public boolean canChanges() {
        return any(CHANGE_READERS);
    }

    /** Where a user lands after sign-in: the first page their roles open. */
    String home() {
        if (canStats()) {
            return "/console/overview";
        }
        if (canCatalog()) {
            return "/console/rules";
        }
        return null;
    }

    /** Every console form carries the session's CSRF token; a POST without the right one changes nothing. */
    void checkCsrf(String token) {
        if (!ConsoleSessions.same(csrf(), token) || csrf().isEmpty()) {
            throw new ConsoleException(403, "表单已失效（CSRF 校验失败），请刷新页面后重试。");
        }
    }

    private boolean any(String[] roles) {
        if (!signedIn()) {
            return false;
        }
        for (String r : roles) {
            if (identity.hasRole(r)) {
                return true;
            }
        }
        return false;
    }
}
