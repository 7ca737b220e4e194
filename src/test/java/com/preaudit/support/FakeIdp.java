package com.preaudit.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small OpenID Connect provider for tests (JDK HttpServer on 127.0.0.1, so another site than the console's
 * {@code localhost}): discovery, JWKS, an authorize endpoint that shows a tiny sign-in form (or answers at once for a
 * user chosen by the test, or with an error), a token endpoint that checks the client, the code (once), the redirect
 * URI and the PKCE verifier, and an end-session endpoint. ID tokens are signed as ExternalJwtTest signs its JWTs.
 */
public final class FakeIdp {

    public static final String CLIENT_ID = "preaudit-console";
    public static final String CLIENT_SECRET = "fake-idp-secret-4711";
    public static final String PASSWORD = "pw";

    /** A user of the provider: the name the console should show and the groups (roles) the ID token carries. */
    public record User(String username, String name, List<String> groups) { }

    public static final Map<String, User> USERS = Map.of(
            "li.na", new User("li.na", "李娜", List.of("analyst")),
            "zhao.lei", new User("zhao.lei", "赵磊", List.of("rule-publisher")),
            "his.bot", new User("his.bot", "门诊医生站", List.of("audit-client")));

    private record Grant(User user, String clientId, String redirectUri, String nonce, String challenge) { }

    private static FakeIdp instance;

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    /** Every authorize request's parameters, in order. */
    public final List<Map<String, String>> authorizeRequests = Collections.synchronizedList(new ArrayList<>());
    /** Every token request's outcome: "ok" or the error answered. */
    public final List<String> tokenAnswers = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger logouts = new AtomicInteger();
    private volatile String autoSignIn;
    private volatile String nextError;
    private volatile Consumer<JwtClaims> nextIdTokenEdit;
    private volatile int nextTokenStatus;

    private FakeIdp() throws Exception {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("fake-idp-1");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/his/.well-known/openid-configuration", this::discovery);
        server.createContext("/realms/his/protocol/openid-connect/certs", this::jwks);
        server.createContext("/realms/his/protocol/openid-connect/auth", this::authorize);
        server.createContext("/realms/his/protocol/openid-connect/token", this::token);
        server.createContext("/realms/his/protocol/openid-connect/logout", this::logout);
        server.start();
    }

    /** The one provider of this test JVM, started on first use. */
    public static synchronized FakeIdp get() {
        if (instance == null) {
            try {
                instance = new FakeIdp();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/his";
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** The authorize endpoint answers at once for this user (null: it shows its sign-in form). */
    public void autoSignIn(String username) {
        autoSignIn = username;
    }

    /** The next authorize request is answered with this error (e.g. access_denied), as a user cancelling would. */
    public void failNextAuthorize(String error) {
        nextError = error;
    }

    /** The next ID token issued is changed by this edit before it is signed (a wrong nonce, audience, …). */
    public void editNextIdToken(Consumer<JwtClaims> edit) {
        nextIdTokenEdit = edit;
    }

    /** The next token request is answered with this status and an HTML error page (the provider in trouble). */
    public void failNextToken(int status) {
        nextTokenStatus = status;
    }

    public void reset() {
        nextTokenStatus = 0;
        autoSignIn = null;
        nextError = null;
        nextIdTokenEdit = null;
    }

    // ---- endpoints -------------------------------------------------------------------------------

    private void discovery(HttpExchange x) throws IOException {
        String base = issuer() + "/protocol/openid-connect";
        send(x, 200, "application/json", "{\"issuer\":\"" + issuer() + "\",\"authorization_endpoint\":\"" + base + "/auth\","
                + "\"token_endpoint\":\"" + base + "/token\",\"jwks_uri\":\"" + base + "/certs\","
                + "\"end_session_endpoint\":\"" + base + "/logout\",\"response_types_supported\":[\"code\"],"
                + "\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"]}");
    }

    private void jwks(HttpExchange x) throws IOException {
        send(x, 200, "application/json", new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = "POST".equals(x.getRequestMethod())
                ? parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                : parse(x.getRequestURI().getRawQuery());
        if ("GET".equals(x.getRequestMethod())) {
            authorizeRequests.add(q);
        }
        String redirect = q.getOrDefault("redirect_uri", "");
        if (!CLIENT_ID.equals(q.get("client_id")) || !URI.create(redirect.isEmpty() ? "x" : redirect).getPath().equals("/console/oidc/callback")) {
            send(x, 400, "text/plain; charset=utf-8", "unknown client or redirect_uri");
            return;
        }
        String state = q.getOrDefault("state", "");
        String error = nextError;
        if (error != null) {
            nextError = null;
            redirect(x, redirect + "?error=" + enc(error) + "&state=" + enc(state));
            return;
        }
        if (!"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method"))
                || q.getOrDefault("code_challenge", "").isEmpty() || !(" " + q.get("scope") + " ").contains(" openid ")) {
            redirect(x, redirect + "?error=invalid_request&state=" + enc(state));
            return;
        }
        String username = autoSignIn;
        if ("POST".equals(x.getRequestMethod())) {
            User u = USERS.get(q.getOrDefault("username", ""));
            if (u == null || !PASSWORD.equals(q.get("password"))) {
                form(x, q, "用户名或密码错误");
                return;
            }
            username = u.username();
        }
        if (username == null) {
            form(x, q, null);
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(USERS.get(username), q.get("client_id"), redirect, q.get("nonce"), q.get("code_challenge")));
        redirect(x, redirect + "?code=" + enc(code) + "&state=" + enc(state));
    }

    /** The provider's own sign-in page: the authorize parameters ride along as hidden fields. */
    private void form(HttpExchange x, Map<String, String> q, String error) throws IOException {
        StringBuilder hidden = new StringBuilder();
        for (var e : q.entrySet()) {
            if (!e.getKey().equals("username") && !e.getKey().equals("password")) {
                hidden.append("<input type=\"hidden\" name=\"").append(html(e.getKey())).append("\" value=\"")
                        .append(html(e.getValue())).append("\">");
            }
        }
        send(x, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"UTF-8\">"
                + "<link rel=\"icon\" href=\"data:,\"><title>医院统一身份认证</title></head><body><h1>医院统一身份认证</h1>"
                + (error == null ? "" : "<p id=\"idp-error\">" + html(error) + "</p>")
                + "<form method=\"post\" action=\"/realms/his/protocol/openid-connect/auth\">" + hidden
                + "<label>用户名 <input id=\"username\" name=\"username\"></label>"
                + "<label>密码 <input id=\"password\" name=\"password\" type=\"password\"></label>"
                + "<button id=\"kc-login\" type=\"submit\">登录</button></form></body></html>");
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> f = parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        int fail = nextTokenStatus;
        if (fail != 0) {
            nextTokenStatus = 0;
            tokenAnswers.add(String.valueOf(fail));
            send(x, fail, "text/html; charset=utf-8", "<html><body>Service Unavailable</body></html>");
            return;
        }
        String client = f.get("client_id");
        String secret = f.get("client_secret");
        String basic = x.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
            client = URLDecoder.decode(pair.substring(0, pair.indexOf(':')), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair.substring(pair.indexOf(':') + 1), StandardCharsets.UTF_8);
        }
        if (!CLIENT_ID.equals(client) || !CLIENT_SECRET.equals(secret)) {
            tokenError(x, 401, "invalid_client");
            return;
        }
        Grant g = f.get("code") == null ? null : codes.remove(f.get("code")); // a code works once
        if (!"authorization_code".equals(f.get("grant_type")) || g == null || !g.redirectUri().equals(f.get("redirect_uri"))
                || !g.clientId().equals(client) || !g.challenge().equals(s256(f.getOrDefault("code_verifier", "")))) {
            tokenError(x, 400, "invalid_grant");
            return;
        }
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer());
        c.setAudience(CLIENT_ID);
        c.setSubject(UUID.nameUUIDFromBytes(g.user().username().getBytes(StandardCharsets.UTF_8)).toString());
        c.setClaim("preferred_username", g.user().username());
        c.setClaim("name", g.user().name());
        c.setClaim("groups", g.user().groups());
        c.setClaim("nonce", g.nonce());
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(5);
        Consumer<JwtClaims> edit = nextIdTokenEdit;
        nextIdTokenEdit = null;
        if (edit != null) {
            edit.accept(c);
        }
        String idToken;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(c.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            idToken = jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IOException(e);
        }
        tokenAnswers.add("ok");
        send(x, 200, "application/json", "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"id_token\":\"" + idToken + "\"}");
    }

    private void tokenError(HttpExchange x, int status, String error) throws IOException {
        tokenAnswers.add(error);
        send(x, status, "application/json", "{\"error\":\"" + error + "\"}");
    }

    private void logout(HttpExchange x) throws IOException {
        Map<String, String> q = parse(x.getRequestURI().getRawQuery());
        String back = q.get("post_logout_redirect_uri");
        if (!CLIENT_ID.equals(q.get("client_id")) || back == null || !URI.create(back).getPath().equals("/console/login")) {
            send(x, 400, "text/plain; charset=utf-8", "unknown client or post_logout_redirect_uri");
            return;
        }
        logouts.incrementAndGet();
        redirect(x, back);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** RFC 7636 S256, as a provider computes it to check the verifier. */
    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
