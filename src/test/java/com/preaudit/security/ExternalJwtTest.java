package com.preaudit.security;

import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

/**
 * JWTs from outside (PRODUCT.md §10), with key pairs made here and published as {@code file:} JWKS:
 * the hospital's OIDC identity provider (roles from a dotted claim path) and a trusted CDS Client
 * (CDS Hooks 2.0 security). Forged, expired, misaddressed and replayed tokens are refused with 401.
 */
@QuarkusTest
@TestProfile(ExternalJwtTest.WithIssuers.class)
class ExternalJwtTest {

    static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "preaudit-jwt-test-" + ProcessHandle.current().pid());
    static final String IDP = "https://idp.test/realms/his";
    static final String EHR = "https://ehr.test";

    public static class WithIssuers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            keys();
            return Map.of(
                    "preaudit.auth.oidc.issuer", IDP,
                    "preaudit.auth.oidc.jwks", "file:" + DIR.resolve("idp-jwks.json"),
                    "preaudit.auth.oidc.audience", "preaudit",
                    "preaudit.auth.oidc.roles-claim", "realm_access.roles",
                    "preaudit.cds-hooks.clients.ehr.issuer", EHR,
                    "preaudit.cds-hooks.clients.ehr.jwks", "file:" + DIR.resolve("ehr-jwks.json"),
                    "preaudit.cds-hooks.clients.ehr.tenants", "hospital-a");
        }
    }

    /** Key pairs, made once per test JVM; the JWKS files hold the public halves only. */
    static synchronized void keys() {
        try {
            if (Files.exists(DIR.resolve("ehr-private.json"))) {
                return;
            }
            Files.createDirectories(DIR);
            for (String name : List.of("idp", "ehr")) {
                RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
                k.setKeyId(name + "-1");
                Files.writeString(DIR.resolve(name + "-jwks.json"), new JsonWebKeySet(k).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                Files.writeString(DIR.resolve(name + "-private.json"), k.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static RsaJsonWebKey key(String name) throws Exception {
        keys();
        return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(DIR.resolve(name + "-private.json")));
    }

    static String sign(JwtClaims claims, String alg, java.security.Key key, String kid, Consumer<JsonWebSignature> header) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(key);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setDoKeyValidation(false);
        header.accept(jws);
        return jws.getCompactSerialization();
    }

    // ---- the hospital's identity provider --------------------------------------------------------

    static JwtClaims userClaims(List<String> roles) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(IDP);
        c.setAudience("preaudit");
        c.setSubject("3f0c2a");
        c.setClaim("preferred_username", "li.na");
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(5);
        c.setClaim("realm_access", Map.of("roles", roles));
        return c;
    }

    static String user(Consumer<JwtClaims> edit) throws Exception {
        JwtClaims c = userClaims(List.of("analyst"));
        edit.accept(c);
        RsaJsonWebKey k = key("idp");
        return sign(c, AlgorithmIdentifiers.RSA_USING_SHA256, k.getPrivateKey(), k.getKeyId(), j -> { });
    }

    @Test
    void aValidOidcTokenCarriesItsRolesFromTheDottedClaim() throws Exception {
        String token = user(c -> { });
        Tokens.as(token).get("/api/v1/stats/daily").then().statusCode(200);
        Tokens.as(token).get("/api/v1/tokens").then().statusCode(403).contentType("application/problem+json");
        // the same token again: answered from the cache of verified tokens
        Tokens.as(token).get("/api/v1/rules").then().statusCode(200);
        // a change made with it is recorded under the user's name
        given().get("/api/v1/catalog/changes?subject=li.na").then().statusCode(200);
    }

    @Test
    void forgedOidcTokensAreRefused() throws Exception {
        RsaJsonWebKey idp = key("idp");
        String valid = user(c -> { });
        String[] parts = valid.split("\\.");
        JwtClaims admin = userClaims(List.of("admin"));
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(admin.toJson().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        Map<String, String> forged = new java.util.LinkedHashMap<>();
        forged.put("alg none", sign(userClaims(List.of("admin")), AlgorithmIdentifiers.NONE, null, idp.getKeyId(), j -> { }));
        forged.put("HMAC with the public key", sign(userClaims(List.of("admin")), AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(idp.getPublicKey().getEncoded()), idp.getKeyId(), j -> { }));
        forged.put("tampered payload", tampered);
        forged.put("another key, same kid", sign(userClaims(List.of("admin")), AlgorithmIdentifiers.RSA_USING_SHA256,
                other.getPrivateKey(), idp.getKeyId(), j -> { }));
        forged.put("expired", user(c -> {
            c.setIssuedAtToNow();
            c.setExpirationTimeMinutesInTheFuture(-5);
        }));
        forged.put("wrong issuer", user(c -> c.setIssuer("https://evil.test/realms/his")));
        forged.put("wrong audience", user(c -> c.setAudience("another-service")));
        for (var f : forged.entrySet()) {
            Tokens.as(f.getValue()).get("/api/v1/stats/daily").then()
                    .statusCode(401).header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
        }
        // and the untouched token still works: the refusals are not a broken configuration
        Tokens.as(valid).get("/api/v1/stats/daily").then().statusCode(200);
    }

    // ---- a CDS Client --------------------------------------------------------------------------

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    static JwtClaims clientClaims(String aud) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(EHR);
        c.setSubject("ehr-client-id");
        c.setAudience(aud);
        c.setIssuedAtToNow();
        c.setExpirationTimeMinutesInTheFuture(1);
        c.setJwtId(UUID.randomUUID().toString());
        c.setClaim("tenant", "hospital-a");
        return c;
    }

    static String client(String aud, Consumer<JwtClaims> edit, Consumer<JsonWebSignature> header) throws Exception {
        JwtClaims c = clientClaims(aud);
        edit.accept(c);
        RsaJsonWebKey k = key("ehr");
        return sign(c, AlgorithmIdentifiers.RSA_USING_SHA384, k.getPrivateKey(), k.getKeyId(), header);
    }

    static int call(String token) {
        return Tokens.as(token).contentType(ContentType.JSON).body("{}").post("/cds-services/preaudit-order-select").statusCode();
    }

    @Test
    void aCdsClientJwtIsAcceptedOnceForTheUrlItNames() throws Exception {
        String discovery = client(base() + "/cds-services", c -> { }, h -> { });
        Tokens.as(discovery).get("/cds-services").then().statusCode(200).body("services.size()", equalTo(2));
        // the same JWT again: a replay
        Tokens.as(discovery).get("/cds-services").then().statusCode(401).header("WWW-Authenticate", "Bearer");

        String select = client(base() + "/cds-services/preaudit-order-select", c -> { }, h -> { });
        org.junit.jupiter.api.Assertions.assertTrue(call(select) != 401 && call(select) == 401,
                "the first call passes authentication, the replayed one does not");
        // behind the hospital's TLS proxy: the aud is the public URL the proxy forwards
        String proxied = client("https://cds.hospital.test/preaudit/cds-services", c -> { }, h -> { });
        Tokens.as(proxied).header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "cds.hospital.test")
                .header("X-Forwarded-Prefix", "/preaudit").get("/cds-services").then().statusCode(200);
        // a jku equal to the configured JWKS is fine
        String jku = client(base() + "/cds-services", c -> { },
                h -> h.setHeader("jku", "file:" + DIR.resolve("ehr-jwks.json")));
        Tokens.as(jku).get("/cds-services").then().statusCode(200);
    }

    @Test
    void cdsClientJwtsFailingAnyCheckAreRefused() throws Exception {
        String url = base() + "/cds-services/preaudit-order-select";
        RsaJsonWebKey ehr = key("ehr");
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("another service's aud", client(base() + "/cds-services/preaudit-order-sign", c -> { }, h -> { }));
        bad.put("expired", client(url, c -> c.setExpirationTimeMinutesInTheFuture(-3), h -> { }));
        bad.put("no iat", client(url, c -> c.unsetClaim("iat"), h -> { }));
        bad.put("no jti", client(url, c -> c.unsetClaim("jti"), h -> { }));
        bad.put("valid for an hour", client(url, c -> c.setExpirationTimeMinutesInTheFuture(60), h -> { }));
        bad.put("other tenant", client(url, c -> c.setClaim("tenant", "hospital-b"), h -> { }));
        bad.put("untrusted issuer", client(url, c -> c.setIssuer("https://evil.test"), h -> { }));
        bad.put("foreign jku", client(url, c -> { }, h -> h.setHeader("jku", "https://evil.test/jwks.json")));
        bad.put("HMAC with the public key", sign(clientClaims(url), AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(ehr.getPublicKey().getEncoded()), ehr.getKeyId(), h -> { }));
        bad.put("alg none", sign(clientClaims(url), AlgorithmIdentifiers.NONE, null, ehr.getKeyId(), h -> { }));
        for (var b : bad.entrySet()) {
            org.junit.jupiter.api.Assertions.assertEquals(401, call(b.getValue()), b.getKey());
        }
    }

    @Test
    void aNewKeyOfTheClientIsFetchedWhenItsKidIsUnknown() throws Exception {
        RsaJsonWebKey next = RsaJwkGenerator.generateJwk(2048);
        next.setKeyId("ehr-2");
        RsaJsonWebKey current = key("ehr");
        // the client rotates: its JWKS now publishes both keys
        Files.writeString(DIR.resolve("ehr-jwks.json"), new JsonWebKeySet(current, next).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        String rotated = sign(clientClaims(base() + "/cds-services"), AlgorithmIdentifiers.RSA_USING_SHA256,
                next.getPrivateKey(), "ehr-2", h -> { });
        Tokens.as(rotated).get("/cds-services").then().statusCode(200);
    }

    @Test
    void anHisWithAnAuditClientTokenMayCallTheCdsServicesToo() {
        Tokens.withRoles("his-cds", "audit-client").get("/cds-services").then().statusCode(200);
        Tokens.withRoles("author-cds", "rule-author").get("/cds-services").then().statusCode(403);
        Tokens.anonymous().get("/cds-services").then().statusCode(401);
        Tokens.withRoles("his-cds2", "audit-client").contentType(ContentType.JSON).body("{}")
                .post("/cds-services/preaudit-order-select").then().statusCode(not(oneOf(401, 403)));
    }
}
