package com.preaudit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.preaudit.platform.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CDS Hooks 2.0 client authentication (PRODUCT.md §10): every call carries a JWT signed by a trusted
 * CDS Client. jose4j does the JWT work: signature by {@code kid} against the client's JWKS (keys
 * cached, fetched again when a {@code kid} is unknown), asymmetric algorithms only, {@code iss}
 * allow-listed, {@code aud} = the URL called, {@code exp} and {@code iat} required (60 s skew, at most
 * 5 minutes of validity ahead), {@code jti} required and refused when seen before within the token's
 * lifetime, {@code tenant} when the client lists tenants, and a {@code jku} header only when it is
 * the configured JWKS URL.
 */
@ApplicationScoped
public class CdsClientVerifier implements IdentityProvider<CdsClientRequest> {

    private static final Logger LOG = Logger.getLogger(CdsClientVerifier.class);
    static final int SKEW_SECONDS = 60;
    private static final AlgorithmConstraints ASYMMETRIC = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.EDDSA);

    @Inject
    CdsClientsConfig config;

    /** Trusted clients by issuer. */
    private final Map<String, Trusted> byIssuer = new LinkedHashMap<>();

    /** jti already used, until the token that carried it expires: "iss jti" → expiry (epoch seconds). */
    private final Cache<String, Long> seen = Caffeine.newBuilder()
            .maximumSize(1_000_000)
            .expireAfter(Expiry.creating((String key, Long exp) ->
                    java.time.Duration.ofSeconds(Math.max(1, exp + SKEW_SECONDS - System.currentTimeMillis() / 1000))))
            .build();

    record Trusted(String name, CdsClientsConfig.Client client, JwtConsumer consumer) { }

    @PostConstruct
    void init() {
        config.clients().forEach((name, client) -> {
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setRequireJwtId()
                    .setMaxFutureValidityInMinutes(5)
                    .setAllowedClockSkewInSeconds(SKEW_SECONDS)
                    .setExpectedIssuer(client.issuer())
                    // aud is the URL called, known per request: checked in verify()
                    .setSkipDefaultAudienceValidation()
                    .setJwsAlgorithmConstraints(ASYMMETRIC)
                    .setVerificationKeyResolver(resolver(client.jwks()))
                    .build();
            byIssuer.put(client.issuer(), new Trusted(name, client, consumer));
            LOG.infof("CDS Hooks: trusting client %s (issuer %s, keys %s)", name, client.issuer(), client.jwks());
        });
    }

    public boolean enabled() {
        return !byIssuer.isEmpty();
    }

    /** Whether the JWT names a trusted CDS Client as its issuer (signature not yet checked). */
    boolean isClientToken(String jwt) {
        return issuerOf(jwt).map(byIssuer::containsKey).orElse(false);
    }

    @Override
    public Class<CdsClientRequest> getRequestType() {
        return CdsClientRequest.class;
    }

    /** On a worker thread: the client's JWKS may have to be fetched. */
    @Override
    public Uni<SecurityIdentity> authenticate(CdsClientRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> verify(request.jwt(), request.audiences()).orElseThrow(AuthenticationFailedException::new));
    }

    /**
     * The identity of a CDS Client's call to {@code calledUrl}, or empty when the JWT fails any check.
     * Each JWT is accepted once (jti), so nothing is cached per token.
     */
    public Optional<SecurityIdentity> verify(String jwt, List<String> acceptedAudiences) {
        try {
            JwtContext unverified = new JwtConsumerBuilder()
                    .setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
                    .build().process(jwt);
            Trusted t = byIssuer.get(unverified.getJwtClaims().getIssuer());
            if (t == null) {
                return Optional.empty();
            }
            for (JsonWebStructure s : unverified.getJoseObjects()) {
                String jku = s.getHeader("jku");
                if (jku != null && !jku.equals(t.client().jwks())) {
                    return refused("a jku other than the configured JWKS");
                }
            }
            t.consumer().processContext(unverified);
            JwtClaims claims = unverified.getJwtClaims();
            if (claims.getAudience().stream().noneMatch(acceptedAudiences::contains)) {
                return refused("aud is not the URL called");
            }
            if (t.client().tenants().isPresent()) {
                Object tenant = claims.getClaimValue("tenant");
                if (tenant == null || !t.client().tenants().get().contains(tenant.toString())) {
                    return refused("tenant not allowed");
                }
            }
            long exp = claims.getExpirationTime().getValue();
            if (seen.asMap().putIfAbsent(t.client().issuer() + " " + claims.getJwtId(), exp) != null) {
                return refused("jti replayed");
            }
            return Optional.of(Identities.of(t.name(), Set.of(Roles.AUDIT_CLIENT), "cds-client", t.client().issuer()));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return refused(e.getClass().getSimpleName());
        }
    }

    private static Optional<SecurityIdentity> refused(String why) {
        LOG.debugf("CDS Hooks client JWT refused: %s", why);
        return Optional.empty();
    }

    private static Optional<String> issuerOf(String jwt) {
        try {
            return Optional.ofNullable(new JwtConsumerBuilder()
                    .setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
                    .build().processToClaims(jwt).getIssuer());
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    /** https: jose4j's HttpsJwks (cached, fetched again on an unknown kid); file: read again on an unknown kid. */
    static VerificationKeyResolver resolver(String jwks) {
        if (jwks.startsWith("file:")) {
            return new FileJwksResolver(Path.of(URI.create(jwks).getSchemeSpecificPart().startsWith("//")
                    ? URI.create(jwks).getPath() : jwks.substring("file:".length())));
        }
        return new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwks));
    }

    /** A JWKS file; read again (at most once a second) when a token names a kid it does not hold. */
    static final class FileJwksResolver implements VerificationKeyResolver {
        private final Path file;
        private volatile List<JsonWebKey> keys = List.of();
        private volatile long readAt;

        FileJwksResolver(Path file) {
            this.file = file;
        }

        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
            try {
                return new JwksVerificationKeyResolver(keys).resolveKey(jws, nesting);
            } catch (UnresolvableKeyException unknown) {
                reloadAtMostOncePerSecond();
                return new JwksVerificationKeyResolver(keys).resolveKey(jws, nesting);
            }
        }

        private synchronized void reloadAtMostOncePerSecond() throws UnresolvableKeyException {
            if (System.currentTimeMillis() - readAt < 1000 && !keys.isEmpty()) {
                return;
            }
            try {
                keys = new JsonWebKeySet(Files.readString(file, StandardCharsets.UTF_8)).getJsonWebKeys();
                readAt = System.currentTimeMillis();
            } catch (IOException | JoseException e) {
                throw new UnresolvableKeyException("the JWKS file cannot be read", e);
            }
        }
    }
}
