package com.preaudit.console;

import com.preaudit.support.FakeIdp;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hospital's identity provider cannot be reached when a user presses the button (its discovery document is on a
 * port nobody listens on, and this node has never read it): the user lands back on the sign-in page with the Chinese
 * message and the token sign-in still offered, not on an error page, and nothing is half-started in the browser.
 */
@QuarkusTest
@TestProfile(ConsoleOidcUnreachableTest.WithProviderDown.class)
class ConsoleOidcUnreachableTest {

    public static class WithProviderDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "preaudit.auth.oidc.issuer", "http://127.0.0.1:1/realms/hospital",
                    "preaudit.auth.oidc.jwks", "http://127.0.0.1:1/realms/hospital/protocol/openid-connect/certs",
                    "preaudit.auth.oidc.audience", "preaudit-api",
                    "preaudit.auth.oidc.client-id", FakeIdp.CLIENT_ID);
        }
    }

    @Test
    void theButtonWithTheProviderDownLeadsBackToTheSignInPageSayingSo() {
        Response start = Tokens.anonymous().redirects().follow(false).get("/console/login/oidc");
        assertEquals(303, start.statusCode(), start.asString());
        assertEquals("/console/login?failed=unavailable", start.header("Location").replaceFirst("^https?://[^/]+", ""));
        assertTrue(start.headers().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(ConsoleOidcTest.FLOW)),
                "no sign-in cookie for a sign-in that never reached the provider: " + start.headers().getValues("Set-Cookie"));

        String page = Tokens.anonymous().get("/console/login?failed=unavailable").then().statusCode(200).extract().asString();
        assertTrue(page.contains("暂时无法连接医院统一身份认证服务"), "the reason, in Chinese");
        assertTrue(page.contains("name=\"token\""), "the token sign-in is still offered");
    }
}
