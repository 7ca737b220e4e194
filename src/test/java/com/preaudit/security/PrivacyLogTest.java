package com.preaudit.security;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.TestCredentials;
import com.preaudit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PRODUCT.md §10 privacy: with the default logging configuration, no log line carries a patient's id,
 * name, birth date or diagnosis, or a credential. Audits with recognisable values go through every
 * entry point (native, CDS Hooks, NHSA), valid and invalid, with good and bad credentials, while a
 * handler on the root logger keeps every line written (message and stack trace, as printed).
 */
@QuarkusTest
class PrivacyLogTest {

    static final String PATIENT = "PRIVPAT8841";
    static final String NAME = "王隐私";
    static final String BIRTH = "1937-03-19";
    static final String DIAGNOSIS_CODE = "M10.991";
    static final String DIAGNOSIS = "隐私测试病";

    static final class Capture extends Handler {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        final PatternFormatter format = new PatternFormatter("%c %s%e");

        @Override
        public void publish(LogRecord r) {
            lines.add(format.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    static String field(String className, String name) throws Exception {
        var f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);
        return (String) f.get(null);
    }

    static String recognisable(String json) {
        return json.replace("1058158", PATIENT).replace("张三", NAME).replace("1951-08-27", BIRTH)
                .replace("M10.001", DIAGNOSIS_CODE).replace("痛风性关节炎", DIAGNOSIS);
    }

    @Test
    void noLogLineCarriesPatientDataOrCredentials() throws Exception {
        Capture capture = new Capture();
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String token = Tokens.mint("his-privacy", "audit-client");
        try {
            String audit = recognisable(AuditResource.REQUEST_EXAMPLE);
            String hook = recognisable(field("com.preaudit.interop.cdshooks.CdsHooksResource", "HOOK_EXAMPLE"));
            String nhsa = recognisable(field("com.preaudit.interop.nhsa.NhsaResource", "EXAMPLE_3101"));
            assertTrue(audit.contains(PATIENT) && hook.contains(BIRTH) && nhsa.contains(NAME) && nhsa.contains(DIAGNOSIS));

            Tokens.as(token).contentType(ContentType.JSON).body(audit).post("/api/v1/audits").then().statusCode(200);
            Tokens.as(token).contentType(ContentType.JSON).body(hook).post("/cds-services/preaudit-order-sign").then().statusCode(200);
            Tokens.as(token).contentType(ContentType.JSON).body(nhsa).post("/api/nhsa/3101").then().statusCode(200);
            // invalid input that names the patient: answered 4xx, never logged
            Tokens.as(token).contentType(ContentType.JSON).body(audit.replace("\"birthDate\": \"" + BIRTH + "\"", "\"birthDate\": \"" + BIRTH + "X\""))
                    .post("/api/v1/audits").then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
            Tokens.as(token).contentType(ContentType.JSON).body("{\"patient\": {\"id\": \"" + PATIENT + "\"}, \"lines\": \"" + DIAGNOSIS + "\"}")
                    .post("/api/v1/audits").then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
            Tokens.as(token).contentType(ContentType.JSON).body(nhsa.replace("\"patient_dtos\"", "\"patient_dtoz\""))
                    .post("/api/nhsa/3101");
            Tokens.as(token).get("/api/v1/charges/" + PATIENT).then().statusCode(200);
            org.jboss.logging.Logger.getLogger("com.preaudit.test").info("privacy-capture-works");
            // refused credentials: neither the presented value nor a valid one is logged
            given().header("Authorization", "Bearer " + token + "x").get("/api/v1/charges/" + PATIENT).then().statusCode(401);
            Tokens.withRoles("his-privacy-author", "rule-author").get("/api/v1/charges/" + PATIENT).then().statusCode(403);
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(capture.lines.stream().anyMatch(l -> l.contains("privacy-capture-works")), "the capture saw no log line");
        List<String> leaks = new ArrayList<>();
        for (String line : capture.lines) {
            for (String secret : List.of(PATIENT, NAME, BIRTH, DIAGNOSIS_CODE, DIAGNOSIS, token, TestCredentials.ADMIN_TOKEN)) {
                if (line.contains(secret)) {
                    leaks.add(secret + " in: " + line.substring(0, Math.min(300, line.length())));
                }
            }
        }
        assertEquals(List.of(), leaks, capture.lines.size() + " log lines were written");
    }
}
