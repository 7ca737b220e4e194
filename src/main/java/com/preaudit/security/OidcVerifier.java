package com.preaudit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * JWTs of the hospital's identity provider (PRODUCT.md §10), verified by smallrye-jwt against its JWKS
 * ({@code preaudit.auth.oidc.jwks}: an https URL or a {@code file:} path): signature with an
 * asymmetric algorithm only (so {@code alg: none} and an HMAC "signed" with the public key are refused),
 * {@code iss}, {@code exp}/{@code nbf} with 60 s skew, {@code aud} when configured. Roles come from
 * {@code preaudit.auth.oidc.roles-claim} (a dotted path such as {@code realm_access.roles}). Off unless
 * issuer and JWKS are both set.
 *
 * <p>A verified token is remembered (by its SHA-256) until it expires, so a client sending the same
 * JWT on every call pays one signature verification, not one per request.
 */
@ApplicationScoped
public class OidcVerifier {

    private static final Logger LOG = Logger.getLogger(OidcVerifier.class);
    static final int SKEW_SECONDS = 60;
    static final Set<SignatureAlgorithm> ASYMMETRIC = EnumSet.of(
            SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512,
            SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
            SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512, SignatureAlgorithm.EDDSA);






    @jakarta.inject.Inject
    OidcConfig config;

    /** The identity attribute carrying the name the console shows (the ID token's {@code name} claim). */
    public static final String DISPLAY_NAME = "preaudit.display-name";

    private JWTParser parser;
    /** ID tokens of the console's sign-in: the same keys and issuer, but addressed to the console's client id. */
    private JWTParser idTokenParser;

    /** Verified tokens until their expiry: digest → identity. */
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfter(Expiry.creating((String key, Verified v) ->
                    Duration.ofMillis(Math.max(0, v.expiresAtMillis() - System.currentTimeMillis()))))
            .build();

    record Verified(SecurityIdentity identity, long expiresAtMillis) { }

    @PostConstruct
    void init() {
        if (config.issuer().isEmpty() || config.jwks().isEmpty()) {
            if (config.issuer().isPresent() || config.jwks().isPresent()) {
                LOG.warn("OIDC sign-in is off: preaudit.auth.oidc.issuer and preaudit.auth.oidc.jwks must both be set");
            }
            return;
        }
        JWTAuthContextInfo info = contextInfo(config.audience().map(String::strip).filter(a -> !a.isEmpty()).map(Set::of).orElse(null));
        parser = new DefaultJWTParser(info);
        config.clientId().map(String::strip).filter(c -> !c.isEmpty()).ifPresent(c -> idTokenParser = new DefaultJWTParser(contextInfo(Set.of(c))));
        LOG.infof("OIDC sign-in on: issuer %s, keys %s, roles from claim %s%s", config.issuer().get(), config.jwks().get(), config.rolesClaim(),
                idTokenParser == null ? "" : ", console sign-in through the identity provider as client " + config.clientId().get().strip());
    }

    private JWTAuthContextInfo contextInfo(Set<String> expectedAudience) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(config.jwks().get(), config.issuer().get());
        info.setSignatureAlgorithm(ASYMMETRIC);
        info.setClockSkew(SKEW_SECONDS);
        info.setExpGracePeriodSecs(SKEW_SECONDS);
        if (expectedAudience != null) {
            info.setExpectedAudience(expectedAudience);
        }
        // smallrye-jwt paths use '/', the setting uses the dotted form of the Keycloak documentation
        info.setGroupsPath(config.rolesClaim().strip().replace('.', '/'));
        info.setRequiredClaims(Set.of("exp"));
        // a key set that cannot be fetched (identity provider down) keeps the keys already known
        info.setJwksRetainCacheOnErrorDuration(24 * 60);
        return info;
    }

    /** Whether the console may sign users in through the identity provider: issuer, JWKS and client id are set. */
    public boolean idTokensEnabled() {
        return idTokenParser != null;
    }

    /**
     * Verifies the ID token the identity provider's token endpoint returned to the console's sign-in
     * (OpenID Connect Core §3.1.3.7): signature by the provider's keys (asymmetric algorithms only),
     * {@code iss}, {@code exp} with skew, {@code aud} containing the client id (and {@code azp} equal to it
     * when there are several audiences), and the {@code nonce} the sign-in sent. Empty when any check fails.
     * Not cached: an ID token is used once. Blocking (may fetch the JWKS).
     */
    public Optional<SecurityIdentity> verifyIdToken(String idToken, String expectedNonce) {
        if (idTokenParser == null || idToken == null || idToken.isBlank() || expectedNonce == null) {
            return Optional.empty();
        }
        try {
            JsonWebToken jwt = idTokenParser.parse(idToken);
            String nonce = text(jwt.getClaim("nonce"));
            if (nonce == null || !java.security.MessageDigest.isEqual(nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    expectedNonce.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                LOG.debug("OIDC ID token refused: nonce differs from the sign-in's");
                return Optional.empty();
            }
            Set<String> aud = jwt.getAudience();
            if (aud != null && aud.size() > 1) {
                if (!config.clientId().get().strip().equals(text(jwt.getClaim("azp")))) {
                    LOG.debug("OIDC ID token refused: several audiences and azp is not this client");
                    return Optional.empty();
                }
            }
            Optional<SecurityIdentity> base = identity(jwt);
            if (base.isEmpty()) {
                return base;
            }
            String display = text(jwt.getClaim("name"));
            String subject = base.get().getPrincipal().getName();
            return Optional.of(io.quarkus.security.runtime.QuarkusSecurityIdentity.builder(base.get())
                    .addAttribute(DISPLAY_NAME, display == null || display.isBlank() ? subject : display.strip())
                    .build());
        } catch (ParseException | RuntimeException e) {
            LOG.debugf("OIDC ID token refused: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** The caller a verified token names ({@code preferred_username}, else {@code sub}) with its roles; empty without one. */
    private static Optional<SecurityIdentity> identity(JsonWebToken jwt) {
        String subject = jwt.getName() != null ? jwt.getName() : jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Identities.of(subject, jwt.getGroups(), "oidc", jwt.getIssuer()));
    }

    /** A string claim's value (smallrye-jwt gives some claims as JSON-P values); null when absent or not a string. */
    private static String text(Object claim) {
        if (claim instanceof jakarta.json.JsonString js) {
            return js.getString();
        }
        return claim instanceof String s ? s : null;
    }

    public boolean enabled() {
        return parser != null;
    }

    /** The cached verdict on a token verified before; empty when it must be verified ({@link #verify}). */
    Optional<SecurityIdentity> cached(String token) {
        if (parser == null) {
            return Optional.empty();
        }
        Verified v = verified.getIfPresent(TokenStore.hash(token));
        return v == null || v.expiresAtMillis() <= System.currentTimeMillis() ? Optional.empty() : Optional.of(v.identity());
    }

    /** Verifies the JWT; empty when it is not one this service trusts. Blocking (may fetch the JWKS). */
    public Optional<SecurityIdentity> verify(String token) {
        if (parser == null) {
            return Optional.empty();
        }
        Optional<SecurityIdentity> known = cached(token);
        if (known.isPresent()) {
            return known;
        }
        try {
            JsonWebToken jwt = parser.parse(token);
            Optional<SecurityIdentity> found = identity(jwt);
            if (found.isEmpty()) {
                return found;
            }
            SecurityIdentity identity = found.get();
            long exp = jwt.getExpirationTime() * 1000L + Duration.ofSeconds(SKEW_SECONDS).toMillis();
            verified.put(TokenStore.hash(token), new Verified(identity, exp));
            return Optional.of(identity);
        } catch (ParseException | RuntimeException e) {
            // the reason goes to debug only: a caller learns nothing, and a log of refusals carries no token
            LOG.debugf("OIDC token refused: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
