package com.preaudit.console;

import com.preaudit.security.ApiToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Console sessions: made at sign-in from the identity of the token typed in, ended at sign-out or
 * expiry. The cookie value is 32 random bytes; the database holds its SHA-256 only.
 */
@ApplicationScoped
public class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Identity attributes set by the identity module (com.preaudit.security.Identities). */
    static final String CREDENTIAL_SOURCE = "preaudit.credential-source";
    static final String CREDENTIAL_ID = "preaudit.credential-id";

    /** What a session cookie stands for. */
    public record Session(String idHash, String subject, java.util.Set<String> roles, String csrf, String displayName,
                          boolean viaIdentityProvider) { }

    /** A new session: the cookie value (never stored) and what was stored. */
    public record Created(String cookieValue, Session session) { }

    private final Duration ttl;

    public ConsoleSessions(@ConfigProperty(name = "preaudit.console.session-ttl", defaultValue = "8h") Duration ttl) {
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    @Transactional
    public Created create(SecurityIdentity identity) {
        return create(identity, false);
    }

    /** A session for the identity; {@code viaIdentityProvider} when it was signed in at the hospital's identity provider. */
    @Transactional
    public Created create(SecurityIdentity identity, boolean viaIdentityProvider) {
        // sessions that ended are removed here rather than by a scheduler: sign-in is rare and cheap
        ConsoleSession.delete("expiresAt < ?1", now());
        String value = random();
        ConsoleSession s = new ConsoleSession();
        s.idHash = hash(value);
        s.subject = identity.getPrincipal().getName();
        s.roles = String.join(",", new TreeSet<>(identity.getRoles()));
        s.csrf = random();
        Object display = identity.getAttributes().get(com.preaudit.security.OidcVerifier.DISPLAY_NAME);
        s.displayName = display == null ? null : display.toString();
        s.viaIdentityProvider = viaIdentityProvider;
        s.createdAt = now();
        s.expiresAt = s.createdAt.plus(ttl);
        if ("token".equals(String.valueOf(identity.getAttributes().get(CREDENTIAL_SOURCE)))) {
            s.credentialId = (String) identity.getAttributes().get(CREDENTIAL_ID);
            ApiToken token = s.credentialId == null ? null : ApiToken.findById(s.credentialId);
            if (token != null && token.expiresAt != null && token.expiresAt.isBefore(s.expiresAt)) {
                s.expiresAt = token.expiresAt; // a session never outlives the token it was opened with
            }
        }
        s.persist();
        return new Created(value, view(s));
    }

    @Transactional
    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        ConsoleSession s = ConsoleSession.findById(hash(cookieValue));
        if (s == null || s.expiresAt.isBefore(now())) {
            return Optional.empty();
        }
        if (s.credentialId != null) {
            // a revoked token ends the sessions opened with it at their next page
            ApiToken token = ApiToken.findById(s.credentialId);
            if (token == null || token.revokedAt != null || (token.expiresAt != null && token.expiresAt.isBefore(now()))) {
                s.delete();
                return Optional.empty();
            }
        }
        return Optional.of(view(s));
    }

    @Transactional
    public void end(String idHash) {
        ConsoleSession.deleteById(idHash);
    }

    private static Session view(ConsoleSession s) {
        java.util.Set<String> roles = new TreeSet<>();
        for (String r : s.roles.split(",")) {
            if (!r.isBlank()) {
                roles.add(r);
            }
        }
        return new Session(s.idHash, s.subject, roles, s.csrf, s.displayName == null ? s.subject : s.displayName,
                s.viaIdentityProvider);
    }

    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two secrets in time independent of where they differ. */
    static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
