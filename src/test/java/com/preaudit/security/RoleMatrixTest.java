package com.preaudit.security;

import com.preaudit.platform.Roles;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PRODUCT.md §10's role table, through HTTP with real minted tokens, for every endpoint: no
 * credential → 401; each role either gets past authorization (any answer but 401/403; the inputs
 * are chosen so that nothing is changed: unknown ids, invalid bodies) or 403.
 */
@QuarkusTest
class RoleMatrixTest {

    // short names keep the table below one line per endpoint; rolesAreTheFiveOfTheContract pins their values
    static final String AC = Roles.AUDIT_CLIENT;
    static final String RA = Roles.RULE_AUTHOR;
    static final String RP = Roles.RULE_PUBLISHER;
    static final String AN = Roles.ANALYST;
    static final String AD = Roles.ADMIN;

    /** One endpoint: method, path, body (or null), content type, and the roles §10 lets through. */
    record Call(String method, String path, Object body, String contentType, Set<String> allowed) {
        Response send(RequestSpecification spec) {
            if (body instanceof byte[] bytes) {
                spec = spec.contentType(contentType).body(bytes);
            } else if (body != null) {
                spec = spec.contentType(contentType).body((String) body);
            }
            return spec.request(method, path);
        }
    }

    static final String BAD_JSON = "{\"unknownField\": 1}";
    static final String AUDIT = "{}";

    static final List<Call> CALLS = List.of(
            // audits, charges, dispositions, CDS Hooks, NHSA: audit-client (admin includes every role)
            new Call("POST", "/api/v1/audits", AUDIT, "application/json", Set.of(AC, AD)),
            new Call("GET", "/api/v1/audits/00000000-0000-0000-0000-000000000000", null, null, Set.of(AC, AN, AD)),
            new Call("POST", "/api/v1/audits/00000000-0000-0000-0000-000000000000/dispositions", "{}", "application/json", Set.of(AC, AD)),
            new Call("POST", "/api/v1/charges", "{}", "application/json", Set.of(AC, AD)),
            new Call("GET", "/api/v1/charges/P-NOBODY", null, null, Set.of(AC, AD)),
            new Call("DELETE", "/api/v1/charges/P-NOBODY/L-NONE", null, null, Set.of(AC, AD)),
            new Call("GET", "/cds-services", null, null, Set.of(AC, AD)),
            new Call("POST", "/cds-services/preaudit-order-select", "{}", "application/json", Set.of(AC, AD)),
            new Call("POST", "/cds-services/preaudit-order-select/feedback", "{}", "application/json", Set.of(AC, AD)),
            new Call("POST", "/api/nhsa", "{}", "application/json", Set.of(AC, AD)),
            new Call("POST", "/api/nhsa/3101", "{}", "application/json", Set.of(AC, AD)),
            // catalog read: rule-author, rule-publisher, analyst, admin
            new Call("GET", "/api/v1/rules", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/rules/NO-SUCH-RULE", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/knowledge-sets", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/knowledge-sets/no_such_set/rows", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/catalog/versions", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/catalog/versions/1/diff/1", null, null, Set.of(RA, RP, AN, AD)),
            new Call("GET", "/api/v1/catalog/export?version=999999", null, null, Set.of(RA, RP, AN, AD)),
            // draft edit, validate, test: rule-author and up
            new Call("PUT", "/api/v1/rules/ROLE-MATRIX", BAD_JSON, "application/json", Set.of(RA, RP, AD)),
            new Call("DELETE", "/api/v1/rules/NO-SUCH-RULE", null, null, Set.of(RA, RP, AD)),
            new Call("POST", "/api/v1/rules/NO-SUCH-RULE/test", "{}", "application/json", Set.of(RA, RP, AD)),
            new Call("POST", "/api/v1/rules/validate", "{}", "application/json", Set.of(RA, RP, AD)),
            new Call("PUT", "/api/v1/knowledge-sets/role_matrix", "not,a\ncsv", "text/csv", Set.of(RA, RP, AD)),
            new Call("DELETE", "/api/v1/knowledge-sets/no_such_set", null, null, Set.of(RA, RP, AD)),
            // publish, activate, import: rule-publisher and up
            new Call("POST", "/api/v1/catalog/versions", BAD_JSON, "application/json", Set.of(RP, AD)),
            new Call("POST", "/api/v1/catalog/versions/999999/activate", null, null, Set.of(RP, AD)),
            new Call("POST", "/api/v1/catalog/import", new byte[] {1, 2, 3}, "application/gzip", Set.of(RP, AD)),
            // the change log: analyst, and the catalog's authors and publishers
            new Call("GET", "/api/v1/catalog/changes", null, null, Set.of(RA, RP, AN, AD)),
            // statistics: analyst and up
            new Call("GET", "/api/v1/stats/findings", null, null, Set.of(AN, AD)),
            new Call("GET", "/api/v1/stats/daily", null, null, Set.of(AN, AD)),
            // tokens: admin
            new Call("GET", "/api/v1/tokens", null, null, Set.of(AD)),
            new Call("POST", "/api/v1/tokens", "{}", "application/json", Set.of(AD)),
            new Call("DELETE", "/api/v1/tokens/tok_none", null, null, Set.of(AD)));

    static final Map<String, String> TOKENS = new LinkedHashMap<>();

    // minted in the first test, not @BeforeAll: RestAssured knows the test port only once a test runs
    static synchronized void mintOnePerRole() {
        if (!TOKENS.isEmpty()) {
            return;
        }
        for (String role : List.of(AC, RA, RP, AN, AD)) {
            TOKENS.put(role, Tokens.mint("matrix-" + role, role));
        }
    }

    @Test
    void rolesAreTheFiveOfTheContract() {
        assertEquals(List.of("audit-client", "rule-author", "rule-publisher", "analyst", "admin"), Roles.ALL);
    }

    @Test
    void everyEndpointRefusesACallWithoutCredentials() {
        List<String> wrong = new ArrayList<>();
        for (Call c : CALLS) {
            Response r = c.send(Tokens.anonymous());
            if (r.statusCode() != 401 || !"Bearer".equals(r.header("WWW-Authenticate"))) {
                wrong.add(c.method() + " " + c.path() + " → " + r.statusCode());
            }
        }
        assertEquals(List.of(), wrong, "answered without credentials");
    }

    @Test
    void everyRoleGetsExactlyWhatTheTableGivesIt() {
        mintOnePerRole();
        List<String> wrong = new ArrayList<>();
        for (Call c : CALLS) {
            for (var role : TOKENS.entrySet()) {
                int status = c.send(Tokens.as(role.getValue())).statusCode();
                boolean allowed = c.allowed().contains(role.getKey());
                if (allowed && (status == 401 || status == 403)) {
                    wrong.add(role.getKey() + " refused (" + status + ") on " + c.method() + " " + c.path());
                } else if (!allowed && status != 403) {
                    wrong.add(role.getKey() + " not refused (" + status + ") on " + c.method() + " " + c.path());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
