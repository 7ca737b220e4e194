package com.preaudit.security;

import com.preaudit.platform.ApiException;
import com.preaudit.platform.ChangeLog;
import com.preaudit.platform.FieldError;
import com.preaudit.platform.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PreAudit tokens in the database (PRODUCT.md §10): minted with 256 random bits behind the
 * recognisable prefix {@value #PREFIX} (so a leaked value is easy to spot in a repository or a
 * log), stored only as a SHA-256 digest, revoked by stamping {@code revoked_at}.
 */
@ApplicationScoped
public class TokenStore {

    /** Every minted value starts with this, so secret scanners and people recognise one. */
    public static final String PREFIX = "pa_";
    static final int MAX_DAYS = 3650;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ChangeLog changeLog;

    /** A minted token: the value is here and nowhere else. */
    public record Minted(ApiToken token, String value) { }

    /** Mints a token for the subject; validated before anything is written. */
    @Transactional
    public Minted mint(String subject, List<String> roles, Integer expiresInDays, String note, String by) {
        List<FieldError> errors = new ArrayList<>();
        if (subject == null || subject.isBlank()) {
            errors.add(new FieldError("/subject", "is required"));
        } else if (subject.length() > 200) {
            errors.add(new FieldError("/subject", "is longer than 200 characters"));
        }
        Set<String> granted = new LinkedHashSet<>();
        if (roles == null || roles.isEmpty()) {
            errors.add(new FieldError("/roles", "is required: one or more of " + Roles.ALL));
        } else {
            for (int i = 0; i < roles.size(); i++) {
                String r = roles.get(i);
                if (r == null || !Roles.ALL.contains(r)) {
                    errors.add(new FieldError("/roles/" + i, "unknown role '" + r + "', expected one of " + Roles.ALL));
                } else {
                    granted.add(r);
                }
            }
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_DAYS)) {
            errors.add(new FieldError("/expiresInDays", "must be between 1 and " + MAX_DAYS + " (or absent: never expires)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the token request is invalid", errors);
        }
        String value = newValue();
        ApiToken t = insert(subject.strip(), granted, expiresInDays, note, by, hash(value));
        changeLog.recordAs(by, "token.mint", t.id, "subject " + t.subject + ", roles " + t.roles
                + (note == null || note.isBlank() ? "" : ": " + note));
        return new Minted(t, value);
    }

    /** Stores a token whose value was given from outside (PREAUDIT_ADMIN_TOKEN), once per value. */
    @Transactional
    public Optional<ApiToken> ensureConfigured(String value, String subject, Set<String> roles, String note) {
        String h = hash(value);
        if (ApiToken.count("tokenHash", h) > 0) {
            return Optional.empty();
        }
        ApiToken t = insert(subject, roles, null, note, com.preaudit.platform.Caller.SYSTEM, h);
        changeLog.recordAs(com.preaudit.platform.Caller.SYSTEM, "token.mint", t.id, "subject " + subject + ", roles " + t.roles + ": " + note);
        return Optional.of(t);
    }

    @Transactional
    public long count() {
        return ApiToken.count();
    }

    @Transactional
    public List<ApiToken> list() {
        return ApiToken.<ApiToken>find("order by createdAt desc, id").list();
    }

    /** Revokes the token; false when there is no such token. Revoking twice keeps the first stamp. */
    @Transactional
    public Optional<ApiToken> revoke(String id, String by) {
        ApiToken t = ApiToken.findById(id);
        if (t == null) {
            return Optional.empty();
        }
        if (t.revokedAt == null) {
            t.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            t.revokedBy = by;
            changeLog.recordAs(by, "token.revoke", t.id, "subject " + t.subject);
        }
        return Optional.of(t);
    }

    /** The grant of a presented value, if it is a live token; reads the database. */
    @Transactional
    public Optional<ApiToken> findByHash(String hash) {
        return ApiToken.<ApiToken>find("tokenHash", hash).firstResultOptional();
    }

    /** Takes a transaction-scoped lock so two nodes starting on an empty database mint one admin token. */
    @Transactional
    public <T> T underBootstrapLock(java.util.function.Supplier<T> work) {
        ApiToken.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(7160016)").getSingleResult();
        return work.get();
    }

    private ApiToken insert(String subject, Set<String> roles, Integer expiresInDays, String note, String by, String hash) {
        ApiToken t = new ApiToken();
        t.id = "tok_" + HexFormat.of().formatHex(randomBytes(8));
        t.tokenHash = hash;
        t.subject = subject;
        t.roles = String.join(",", roles);
        t.note = note == null || note.isBlank() ? null : note;
        t.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        t.createdBy = by;
        t.expiresAt = expiresInDays == null ? null : t.createdAt.plusDays(expiresInDays);
        t.persist();
        return t;
    }

    static String newValue() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** SHA-256 of the value, hex: what the table stores and the verification cache is keyed by. */
    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
