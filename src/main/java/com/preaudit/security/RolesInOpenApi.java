package com.preaudit.security;

import com.preaudit.platform.Roles;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes each operation's roles (PRODUCT.md §10) into its description, as a reader of Swagger UI sees
 * them: the roles {@code @RolesAllowed} names (Quarkus lists them in the operation's security
 * requirement) plus those that include them (a rule-publisher may do what a rule-author may; an
 * admin everything).
 */
public class RolesInOpenApi implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        List<SecurityRequirement> security = operation.getSecurity();
        if (security == null || security.isEmpty()) {
            return operation;
        }
        Set<String> named = new LinkedHashSet<>();
        security.forEach(req -> req.getSchemes().values().forEach(named::addAll));
        if (named.isEmpty()) {
            return operation;
        }
        String description = operation.getDescription() == null ? "" : operation.getDescription();
        if (!description.startsWith("Roles:")) {
            operation.setDescription(("Roles: " + String.join(", ", withIncluding(named)) + ". " + description).strip());
        }
        return operation;
    }

    static Set<String> withIncluding(Set<String> named) {
        Set<String> out = new LinkedHashSet<>();
        for (String role : Roles.ALL) {
            boolean included = named.contains(role)
                    || (role.equals(Roles.RULE_PUBLISHER) && named.contains(Roles.RULE_AUTHOR))
                    || role.equals(Roles.ADMIN);
            if (included) {
                out.add(role);
            }
        }
        return out;
    }
}
