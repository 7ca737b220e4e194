package com.preaudit.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * Sign-ins through the identity provider between the redirect there and the callback: the state, the nonce and the
 * PKCE verifier, kept in the database (any node may take the callback) and bound to the browser that started the
 * sign-in by a short-lived cookie. A state is taken once: a replayed or forged callback finds nothing.
 */
@ApplicationScoped
public class OidcLogins {

    /** How long the user has to sign in at the identity provider. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** A new sign-in: the browser cookie's value, the state and nonce to send, and the PKCE S256 challenge. */
    public record Started(String browserValue, String state, String nonce, String codeChallenge) { }

    /** What the callback needs to finish a sign-in. */
    public record Pending(String nonce, String codeVerifier) { }

    @Transactional
    public Started start() {
        ConsoleOidcLogin.delete("expiresAt < ?1", now()); // abandoned sign-ins, removed here as sessions are
        String browser = ConsoleSessions.random();
        String state = ConsoleSessions.random();
        ConsoleOidcLogin l = new ConsoleOidcLogin();
        l.stateHash = ConsoleSessions.hash(state);
        l.browserHash = ConsoleSessions.hash(browser);
        l.nonce = ConsoleSessions.random();
        l.codeVerifier = ConsoleSessions.random(); // 43 characters of base64url: RFC 7636's verifier alphabet and length
        l.createdAt = now();
        l.expiresAt = l.createdAt.plus(LIFETIME);
        l.persist();
        return new Started(browser, state, l.nonce, challenge(l.codeVerifier));
    }

    /**
     * Takes the sign-in the callback's state names, if the same browser started it and it has not expired. The row
     * is removed whatever the outcome, so the same state never works twice.
     */
    @Transactional
    public Optional<Pending> take(String state, String browserValue) {
        if (state == null || state.isBlank() || state.length() > 100) {
            return Optional.empty();
        }
        ConsoleOidcLogin l = ConsoleOidcLogin.findById(ConsoleSessions.hash(state));
        if (l == null) {
            return Optional.empty();
        }
        l.delete();
        if (browserValue == null || browserValue.length() > 100 || l.expiresAt.isBefore(now())
                || !ConsoleSessions.same(l.browserHash, ConsoleSessions.hash(browserValue))) {
            return Optional.empty();
        }
        return Optional.of(new Pending(l.nonce, l.codeVerifier));
    }

    /** RFC 7636 S256: BASE64URL(SHA-256(ASCII(verifier))). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
