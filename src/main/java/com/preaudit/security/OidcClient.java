package com.preaudit.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The console's side of the OpenID Connect authorization code flow with PKCE (PRODUCT.md §10, §12): where to send
 * the browser, and the exchange of the code the identity provider returns for an ID token, verified by
 * {@link OidcVerifier#verifyIdToken}. Endpoints come from the issuer's discovery document
 * ({@code <issuer>/.well-known/openid-configuration}) unless set. On when issuer, JWKS and
 * {@code preaudit.auth.oidc.client-id} are set.
 *
 * <p>Nothing here logs a code, a token or the client secret: a refusal is logged by its kind only.
 */
@ApplicationScoped
public class OidcClient {

    private static final Logger LOG = Logger.getLogger(OidcClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The discovery document is read again after this long (endpoints rarely move; a restart is not needed). */
    private static final Duration REFRESH = Duration.ofHours(1);

    /** The identity provider could not be reached or answered something that is not OpenID Connect. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    record Endpoints(String authorization, String token, Optional<String> endSession, boolean secretInBody, long fetchedAt) { }








    private final OidcVerifier verifier;
    private final OidcConfig config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Endpoints endpoints;

    public OidcClient(OidcVerifier verifier, OidcConfig config, ObjectMapper json) {
        this.verifier = verifier;
        this.config = config;
        this.json = json;
    }

    /** Whether the console offers sign-in through the identity provider. */
    public boolean enabled() {
        return verifier.idTokensEnabled();
    }

    /** The URL of the provider's sign-in page for this sign-in (state, nonce and the PKCE S256 challenge). */
    public String authorizationUrl(String redirectUri, String state, String nonce, String codeChallenge) throws Unavailable {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", codeChallenge);
        q.put("code_challenge_method", "S256");
        return withQuery(endpoints().authorization(), q);
    }

    /**
     * Exchanges the code at the token endpoint (with the PKCE verifier and the client's credentials) and verifies
     * the ID token it returns against the sign-in's nonce. Empty when the provider refuses the code or the ID token
     * fails a check.
     */
    public Optional<SecurityIdentity> exchange(String code, String codeVerifier, String redirectUri, String nonce) throws Unavailable {
        Endpoints e = endpoints();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", codeVerifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(e.token())).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        Optional<String> secret = config.clientSecret().map(String::strip).filter(s -> !s.isEmpty());
        if (secret.isPresent() && !e.secretInBody()) {
            // client_secret_basic (RFC 6749 §2.3.1: both halves form-encoded before Base64)
            String pair = encode(clientId()) + ":" + encode(secret.get());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId());
            secret.ifPresent(s -> form.put("client_secret", s));
        }
        HttpResponse<String> answer;
        try {
            answer = http.send(request.POST(HttpRequest.BodyPublishers.ofString(formBody(form))).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            LOG.warnf("OIDC sign-in: the token endpoint could not be reached (%s)", ex.getClass().getSimpleName());
            throw new Unavailable("token endpoint unreachable");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        if (answer.statusCode() >= 500) {
            // the provider is in trouble, not the sign-in: say so rather than "the credentials failed"
            LOG.warnf("OIDC sign-in: the token endpoint answered %d", answer.statusCode());
            throw new Unavailable("token endpoint answered " + answer.statusCode());
        }
        JsonNode body;
        try {
            body = json.readTree(answer.body());
        } catch (IOException ex) {
            body = null;
        }
        if (answer.statusCode() != 200 || body == null || !body.path("id_token").isTextual()) {
            // the provider's error code only (e.g. invalid_grant for a code used twice), never its body
            String error = body == null ? "" : body.path("error").asText("");
            LOG.infof("OIDC sign-in refused: the token endpoint answered %d %s", answer.statusCode(),
                    error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "");
            return Optional.empty();
        }
        Optional<SecurityIdentity> identity = verifier.verifyIdToken(body.path("id_token").asText(), nonce);
        if (identity.isEmpty()) {
            LOG.info("OIDC sign-in refused: the ID token failed verification");
        }
        return identity;
    }

    /**
     * Where sign-out sends the browser so the provider's session ends too (RP-Initiated Logout: client_id and
     * post_logout_redirect_uri); empty when the provider has no end_session_endpoint or cannot be reached now.
     */
    public Optional<String> endSessionUrl(String postLogoutRedirectUri) {
        try {
            Endpoints e = endpoints();
            return e.endSession().map(url -> withQuery(url, Map.of(
                    "client_id", clientId(), "post_logout_redirect_uri", postLogoutRedirectUri)));
        } catch (Unavailable ex) {
            return Optional.empty();
        }
    }

    /** The console's client id (set whenever this client is used: {@link #enabled}). */
    private String clientId() {
        return config.clientId().orElseThrow().strip();
    }

    private String scope() {
        String s = config.scope().strip();
        return (" " + s + " ").contains(" openid ") ? s : ("openid " + s).strip();
    }

    /** The endpoints: the settings, else the discovery document (read once, again after an hour). */
    Endpoints endpoints() throws Unavailable {
        Endpoints known = endpoints;
        if (known != null && System.currentTimeMillis() - known.fetchedAt() < REFRESH.toMillis()) {
            return known;
        }
        Optional<String> auth = set(config.authorizationEndpoint());
        Optional<String> token = set(config.tokenEndpoint());
        if (auth.isPresent() && token.isPresent()) {
            endpoints = new Endpoints(auth.get(), token.get(), set(config.endSessionEndpoint()), false, Long.MAX_VALUE / 2);
            return endpoints;
        }
        try {
            Endpoints fetched = discover(auth, token);
            endpoints = fetched;
            return fetched;
        } catch (Unavailable e) {
            if (known != null) {
                return known; // the provider's discovery is down for a moment: the endpoints known still work
            }
            throw e;
        }
    }

    private Endpoints discover(Optional<String> auth, Optional<String> token) throws Unavailable {
        String iss = config.issuer().orElseThrow().strip();
        String url = trimSlash(iss) + "/.well-known/openid-configuration";
        JsonNode doc;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (answer.statusCode() != 200) {
                LOG.warnf("OIDC discovery: %s answered %d", url, answer.statusCode());
                throw new Unavailable("discovery answered " + answer.statusCode());
            }
            doc = json.readTree(answer.body());
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("OIDC discovery: %s could not be read (%s)", url, e.getClass().getSimpleName());
            throw new Unavailable("discovery unreadable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
        // OpenID Connect Discovery §4.3: the document must be the configured issuer's
        if (!trimSlash(doc.path("issuer").asText("")).equals(trimSlash(iss))) {
            LOG.warnf("OIDC discovery: %s names another issuer; sign-in through the identity provider is refused", url);
            throw new Unavailable("issuer mismatch");
        }
        String authorization = auth.orElse(doc.path("authorization_endpoint").asText(""));
        String tokenUrl = token.orElse(doc.path("token_endpoint").asText(""));
        if (authorization.isBlank() || tokenUrl.isBlank()) {
            LOG.warnf("OIDC discovery: %s has no authorization or token endpoint", url);
            throw new Unavailable("endpoints missing");
        }
        Optional<String> endSession = set(config.endSessionEndpoint())
                .or(() -> Optional.of(doc.path("end_session_endpoint").asText("")).filter(s -> !s.isBlank()));
        // client_secret_basic is the default (RFC 8414); a provider that lists only client_secret_post gets the secret in the body
        boolean secretInBody = false;
        JsonNode methods = doc.path("token_endpoint_auth_methods_supported");
        if (methods.isArray() && methods.size() > 0) {
            boolean basic = false;
            boolean post = false;
            for (JsonNode m : methods) {
                basic |= "client_secret_basic".equals(m.asText());
                post |= "client_secret_post".equals(m.asText());
            }
            secretInBody = post && !basic;
        }
        return new Endpoints(authorization, tokenUrl, endSession, secretInBody, System.currentTimeMillis());
    }

    private static Optional<String> set(Optional<String> setting) {
        return setting.map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String withQuery(String url, Map<String, String> query) {
        return url + (url.contains("?") ? "&" : "?") + formBody(query);
    }

    private static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream().map(f -> encode(f.getKey()) + "=" + encode(f.getValue())).collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
