package com.preaudit.catalog;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rolling back and forward while audits run: every audit answers, audits were in flight while a swap
 * happened, and each used one whole version. The two versions differ in the gender rule's message, so
 * an audit that mixed them (the version number of one, the rules of the other) is seen.
 */
@QuarkusTest
class ActivationUnderLoadTest {

    private static final String GENDER_RULE = "GZ10000301004000";
    private static final String MARK = "【swap-test newer】";

    @Test
    void auditsNeverFailWhileVersionsSwap() throws Exception {
        int older = Api.activeVersion();
        Map<String, Object> rule = given().get("/api/v1/rules/" + GENDER_RULE).then().statusCode(200).extract().jsonPath().getMap("$");
        Map<String, Object> marked = new HashMap<>(rule);
        marked.put("message", rule.get("message") + MARK);
        given().contentType(ContentType.JSON).body(marked).put("/api/v1/rules/" + GENDER_RULE).then().statusCode(200);
        int newer = Api.publish("swap target");
        given().contentType(ContentType.JSON).body(rule).put("/api/v1/rules/" + GENDER_RULE).then().statusCode(200);
        List<long[]> inFlight = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<long[]> swaps = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> workers = new ArrayList<>();
        int port = io.restassured.RestAssured.port;
        for (int t = 0; t < 3; t++) {
            workers.add(pool.submit(() -> {
                int n = 0;
                while (running.get()) {
                    long start = System.nanoTime();
                    Response r = given().port(port).contentType(ContentType.JSON)
                            .body(AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", "SWAP-" + java.util.UUID.randomUUID()))
                            .post("/api/v1/audits");
                    inFlight.add(new long[] {start, System.nanoTime()});
                    if (r.statusCode() != 200 || !"BLOCK".equals(r.path("decision"))) {
                        failures.add(r.statusCode() + " " + r.asString());
                    } else {
                        int version = r.path("catalogVersion");
                        String message = r.path("findings.find { it.ruleCode == '" + GENDER_RULE + "' }.message");
                        versionsSeen.add(version);
                        if (message == null || message.contains(MARK) != (version == newer)) {
                            failures.add("version " + version + " answered with the rules of the other version: " + message);
                        }
                    }
                    n++;
                }
                return n;
            }));
        }
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            given().post("/api/v1/catalog/versions/" + (i % 2 == 0 ? older : newer) + "/activate").then().statusCode(200);
            swaps.add(new long[] {start, System.nanoTime()});
            Thread.sleep(20); // let audits start under each version
        }
        Thread.sleep(200);
        running.set(false);
        int audits = 0;
        for (Future<Integer> w : workers) {
            audits += w.get();
        }
        pool.shutdown();
        assertEquals(List.of(), failures);
        assertTrue(audits > 0);
        assertEquals(Set.of(older, newer), versionsSeen, "both versions answered audits");
        long overlapping = inFlight.stream().filter(a -> swaps.stream().anyMatch(w -> a[0] < w[1] && a[1] > w[0])).count();
        assertTrue(overlapping > 0, "no audit was in flight during an activation (" + audits + " audits)");
        assertEquals(newer, Api.activeVersion());
    }
}
