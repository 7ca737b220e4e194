package com.preaudit.console;

import com.preaudit.support.FakeIdp;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Console sign-in through the hospital's identity provider (PRODUCT.md §10, §12), as the browser's requests would
 * go, against {@link FakeIdp} on another site (127.0.0.1; the console is reached as localhost): the button's
 * redirect carries state, nonce and a PKCE S256 challenge; the callback opens a session only for the browser that
 * started the sign-in, once, with an ID token that passes every check; every refusal signs nobody in and says why
 * on the sign-in page.
 */
@QuarkusTest
@TestProfile(ConsoleOidcTest.WithIdentityProvider.class)
class ConsoleOidcTest {

    static final String SESSION = "preaudit_console";
    static final String FLOW = "preaudit_console_oidc";

    /** The fake provider as the hospital's; the API's own JWT audience differs from the console's client id. */
    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FakeIdp idp = FakeIdp.get();
            return Map.of(
                    "preaudit.auth.oidc.issuer", idp.issuer(),
                    "preaudit.auth.oidc.jwks", idp.jwksUrl(),
                    "preaudit.auth.oidc.audience", "preaudit-api",
                    "preaudit.auth.oidc.client-id", FakeIdp.CLIENT_ID,
                    "preaudit.auth.oidc.client-secret", FakeIdp.CLIENT_SECRET);
        }
    }

    final FakeIdp idp = FakeIdp.get();

    /** A sign-in sent to the provider and back: the provider's URL, the cookies it gave the browser, and the callback URL. */
    record Flow(String authorizeUrl, List<String> setCookies, String callbackUrl) {
        /** The sign-in cookies of a browser that started only this sign-in. */
        Map<String, String> cookies() {
            return jar(setCookies);
        }

        /** The Set-Cookie header of this sign-in's cookie. */
        String flowCookie() {
            return setCookies.stream().filter(c -> c.startsWith(FLOW)).findFirst().orElseThrow();
        }
    }

    /** What a browser keeps of the sign-in cookies it was given, in order: a later cookie of the same name replaces one. */
    @SafeVarargs
    static Map<String, String> jar(List<String>... setCookieHeaders) {
        Map<String, String> jar = new java.util.LinkedHashMap<>();
        for (List<String> headers : setCookieHeaders) {
            for (String c : headers) {
                String pair = c.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                if (name.startsWith(FLOW)) {
                    jar.put(name, pair.substring(pair.indexOf('=') + 1));
                }
            }
        }
        return jar;
    }

    @BeforeEach
    void reset() {
        idp.reset();
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** The button, then the provider (signing {@code user} in at once): where the provider sends the browser back. */
    Flow signInAtProvider(String user) throws Exception {
        idp.autoSignIn(user);
        Response start = Tokens.anonymous().redirects().follow(false).get("/console/login/oidc");
        assertEquals(303, start.statusCode(), "the button leads to the identity provider");
        String authorize = start.header("Location");
        HttpResponse<Void> atIdp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(authorize)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(302, atIdp.statusCode(), "the provider sends the browser back");
        return new Flow(authorize, start.headers().getValues("Set-Cookie"), atIdp.headers().firstValue("Location").orElseThrow());
    }

    /** The same cookie names with values of another browser's. */
    static Map<String, String> anotherBrowser(Flow flow) {
        Map<String, String> other = new java.util.LinkedHashMap<>();
        flow.cookies().keySet().forEach(name -> other.put(name, "another-browser-0123456789abcdefghijklmnopq"));
        return other;
    }

    /** The browser's request of the callback URL, with the sign-in cookies it holds. */
    static Response callback(String url, Map<String, String> cookies) {
        URI u = URI.create(url);
        RequestSpecification r = Tokens.anonymous().redirects().follow(false).urlEncodingEnabled(false);
        if (!cookies.isEmpty()) {
            r.cookies(cookies);
        }
        return r.get(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    static String withParam(String url, String name, String value) {
        Map<String, String> q = FakeIdp.parse(URI.create(url).getRawQuery());
        q.put(name, value);
        StringBuilder s = new StringBuilder(url.substring(0, url.indexOf('?') + 1));
        q.forEach((k, v) -> s.append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)).append('&'));
        return s.substring(0, s.length() - 1);
    }

    /** The callback refused: back to the sign-in page saying why, and no session cookie given. */
    static void refused(Response r, String why) {
        assertEquals(303, r.statusCode());
        assertEquals("/console/login?failed=" + why, URI.create(r.header("Location")).toString().replaceFirst("^https?://[^/]+", ""));
        assertTrue(r.headers().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(SESSION + "=") && !c.startsWith(SESSION + "=;")),
                "no session cookie: " + r.headers().getValues("Set-Cookie"));
    }

    static String signInPage(String why) {
        return Tokens.anonymous().get("/console/login?failed=" + why).then().statusCode(200).extract().asString();
    }

    @Test
    void theButtonSendsTheBrowserToTheProviderAndItsCallbackOpensASession() throws Exception {
        String page = Tokens.anonymous().get("/console/login").then().statusCode(200).extract().asString();
        assertTrue(page.contains("id=\"oidc-sign-in\"") && page.contains("通过医院统一身份认证登录"), "the button is on the sign-in page");

        Capture log = Capture.start();
        try {
            Flow flow = signInAtProvider("li.na");
            assertTrue(flow.authorizeUrl().startsWith(idp.issuer() + "/protocol/openid-connect/auth?"), flow.authorizeUrl());
            Map<String, String> q = idp.authorizeRequests.get(idp.authorizeRequests.size() - 1);
            assertEquals("code", q.get("response_type"));
            assertEquals(FakeIdp.CLIENT_ID, q.get("client_id"));
            assertEquals(base() + "/console/oidc/callback", q.get("redirect_uri"));
            assertTrue((" " + q.get("scope") + " ").contains(" openid "), q.get("scope"));
            assertEquals("S256", q.get("code_challenge_method"));
            assertEquals(43, q.get("code_challenge").length(), "BASE64URL of a SHA-256");
            assertTrue(q.get("state").length() >= 32 && q.get("nonce").length() >= 32, "unguessable state and nonce");
            assertFalse(flow.authorizeUrl().contains(FakeIdp.CLIENT_SECRET), "the client secret goes only to the token endpoint");
            String flowCookie = flow.flowCookie();
            assertTrue(flowCookie.contains("HttpOnly") && flowCookie.contains("SameSite=Lax") && flowCookie.contains("Path=/console/oidc"), flowCookie);

            Response back = callback(flow.callbackUrl(), flow.cookies());
            assertEquals(200, back.statusCode(), "a page of the console's own site moves on to /console");
            assertTrue(back.asString().contains("url=/console"), back.asString());
            String session = back.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(SESSION + "=")).findFirst().orElseThrow();
            assertTrue(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/console"), session);
            assertEquals("ok", idp.tokenAnswers.get(idp.tokenAnswers.size() - 1));

            // the session: 总览 for an analyst, with the name the provider gave
            String overview = Tokens.anonymous().cookie(SESSION, back.getCookie(SESSION)).redirects().follow(false)
                    .get("/console/overview").then().statusCode(200).extract().asString();
            assertTrue(overview.contains(">李娜</span>"), "the header shows the user's name");
            assertTrue(overview.contains("title=\"li.na · analyst\""), "and the subject and roles on hover");

            // nothing of the sign-in is written to the log: not the code, the state, the nonce, a token or the secret
            String code = FakeIdp.parse(URI.create(flow.callbackUrl()).getRawQuery()).get("code");
            for (String secret : List.of(code, q.get("state"), q.get("nonce"), FakeIdp.CLIENT_SECRET, "eyJ", back.getCookie(SESSION))) {
                assertTrue(log.lines.stream().noneMatch(l -> l.contains(secret)), "logged: " + secret);
            }
        } finally {
            log.stop();
        }
    }

    @Test
    void aWrongOrMissingStateOrACallbackFromAnotherBrowserSignsNobodyIn() throws Exception {
        Flow flow = signInAtProvider("li.na");
        int exchanges = idp.tokenAnswers.size();
        refused(callback(withParam(flow.callbackUrl(), "state", "forged-state-0123456789abcdefghijklmnopqrstu"), flow.cookies()), "state");
        String noState = flow.callbackUrl().replaceAll("([?&])state=[^&]*&?", "$1");
        refused(callback(noState, flow.cookies()), "state");
        // an attacker's callback (their code and state) opened in the victim's browser: the flow cookie differs
        refused(callback(flow.callbackUrl(), anotherBrowser(flow)), "state");
        assertEquals(exchanges, idp.tokenAnswers.size(), "no code was exchanged for any of them");
        // the state was used up by that attempt: not even the right browser may use it now
        refused(callback(flow.callbackUrl(), flow.cookies()), "state");
        // without the cookie at all
        Flow other = signInAtProvider("li.na");
        refused(callback(other.callbackUrl(), Map.of()), "state");
        assertTrue(signInPage("state").contains("登录请求已失效或已被使用"));
    }

    @Test
    void twoSignInsStartedInTwoTabsOfOneBrowserBothComeBack() throws Exception {
        // tab 1 presses the button, then tab 2 does before tab 1 is back from the provider
        Flow first = signInAtProvider("li.na");
        Flow second = signInAtProvider("li.na");
        Map<String, String> browser = jar(first.setCookies(), second.setCookies());

        Response back = callback(first.callbackUrl(), browser);
        assertEquals(200, back.statusCode(), "the first tab's return still signs in: " + back.header("Location"));
        back.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(FLOW)).forEach(c -> browser.remove(c.split("=", 2)[0]));
        Response backToo = callback(second.callbackUrl(), browser);
        assertEquals(200, backToo.statusCode(), "and so does the second's: " + backToo.header("Location"));
    }

    @Test
    void aReplayedCallbackOrCodeSignsNobodyIn() throws Exception {
        Flow flow = signInAtProvider("li.na");
        assertEquals(200, callback(flow.callbackUrl(), flow.cookies()).statusCode());
        // the same callback again (history, a copied URL): the state is spent
        refused(callback(flow.callbackUrl(), flow.cookies()), "state");
        // the spent code with a fresh sign-in's state: the provider refuses it (used, and another PKCE verifier)
        Flow fresh = signInAtProvider("li.na");
        String code = FakeIdp.parse(URI.create(flow.callbackUrl()).getRawQuery()).get("code");
        refused(callback(withParam(fresh.callbackUrl(), "code", code), fresh.cookies()), "refused");
        assertEquals("invalid_grant", idp.tokenAnswers.get(idp.tokenAnswers.size() - 1));
        assertTrue(signInPage("refused").contains("未通过校验"));
    }

    @Test
    void anIdTokenFailingAnyCheckSignsNobodyIn() throws Exception {
        Map<String, Consumer<JwtClaims>> bad = new java.util.LinkedHashMap<>();
        bad.put("another sign-in's nonce", c -> c.setClaim("nonce", "nonce-of-another-sign-in-0123456789abcdefgh"));
        bad.put("no nonce", c -> c.unsetClaim("nonce"));
        bad.put("the API's audience, not the client's", c -> c.setAudience("preaudit-api"));
        bad.put("another client's audience", c -> c.setAudience("another-client"));
        bad.put("several audiences, azp another client", c -> {
            c.setAudience(FakeIdp.CLIENT_ID, "another-client");
            c.setClaim("azp", "another-client");
        });
        bad.put("another issuer", c -> c.setIssuer("http://127.0.0.1:1/realms/evil"));
        bad.put("expired", c -> c.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 600)));
        for (var b : bad.entrySet()) {
            Flow flow = signInAtProvider("li.na");
            idp.editNextIdToken(b.getValue());
            Response r = callback(flow.callbackUrl(), flow.cookies());
            assertEquals("ok", idp.tokenAnswers.get(idp.tokenAnswers.size() - 1), b.getKey() + ": the code itself was good");
            refused(r, "refused");
        }
        // the same sign-in untouched passes: the refusals are the checks, not a broken setup
        Flow flow = signInAtProvider("li.na");
        assertEquals(200, callback(flow.callbackUrl(), flow.cookies()).statusCode());
    }

    @Test
    void anErrorFromTheProviderIsShownAndSignsNobodyIn() throws Exception {
        idp.failNextAuthorize("access_denied");
        Flow cancelled = signInAtProvider("li.na");
        assertTrue(cancelled.callbackUrl().contains("error=access_denied"));
        refused(callback(cancelled.callbackUrl(), cancelled.cookies()), "cancelled");
        assertTrue(signInPage("cancelled").contains("您在统一身份认证页面取消了登录"));

        idp.failNextAuthorize("server_error");
        Flow failed = signInAtProvider("li.na");
        refused(callback(failed.callbackUrl(), failed.cookies()), "idp");
        assertTrue(signInPage("idp").contains("统一身份认证服务没有完成这次登录"));
        // a code added to an error answer changes nothing
        refused(callback(withParam(failed.callbackUrl(), "code", "whatever"), failed.cookies()), "idp");
    }

    @Test
    void aProviderInTroubleIsSaidSoAndSignsNobodyIn() throws Exception {
        Flow flow = signInAtProvider("li.na");
        idp.failNextToken(503);
        refused(callback(flow.callbackUrl(), flow.cookies()), "unavailable");
        assertEquals("503", idp.tokenAnswers.get(idp.tokenAnswers.size() - 1));
        assertTrue(signInPage("unavailable").contains("暂时无法连接医院统一身份认证服务"));
    }

    @Test
    void aProviderUserWithoutAConsoleRoleIsNotSignedIn() throws Exception {
        Flow flow = signInAtProvider("his.bot");
        refused(callback(flow.callbackUrl(), flow.cookies()), "role");
        assertTrue(signInPage("role").contains("没有控制台角色"));
        // an unknown reason in the URL shows nothing of its own
        String page = signInPage("%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertFalse(page.contains("login-error") || page.contains("<script>alert"), "no message for a made-up reason");
    }

    /** Every log line written while it runs (message and stack trace), as PrivacyLogTest keeps them. */
    static final class Capture extends java.util.logging.Handler {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        final org.jboss.logmanager.formatters.PatternFormatter format = new org.jboss.logmanager.formatters.PatternFormatter("%c %s%e");

        static Capture start() {
            Capture c = new Capture();
            Logger.getLogger("").addHandler(c);
            org.jboss.logging.Logger.getLogger("com.preaudit.test").info("oidc-capture-works");
            assertNotNull(c.lines.stream().filter(l -> l.contains("oidc-capture-works")).findFirst().orElse(null), "the capture sees the log");
            return c;
        }

        void stop() {
            Logger.getLogger("").removeHandler(this);
        }

        @Override
        public void publish(java.util.logging.LogRecord r) {
            lines.add(format.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
