package com.preaudit.catalog;

import com.preaudit.audit.AuditResource;
import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rolling back and forward while audits run: every audit answers, each from one whole version. */
@QuarkusTest
class ActivationUnderLoadTest {

    @Test
    void auditsNeverFailWhileVersionsSwap() throws Exception {
        int older = Api.activeVersion();
        int newer = Api.publish("swap target");
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
                    Response r = given().port(port).contentType(ContentType.JSON)
                            .body(AuditResource.REQUEST_EXAMPLE.replace("HIS-20250614-000123", "SWAP-" + java.util.UUID.randomUUID()))
                            .post("/api/v1/audits");
                    if (r.statusCode() != 200 || !"BLOCK".equals(r.path("decision"))) {
                        failures.add(r.statusCode() + " " + r.asString());
                    } else {
                        versionsSeen.add(r.path("catalogVersion"));
                    }
                    n++;
                }
                return n;
            }));
        }
        for (int i = 0; i < 10; i++) {
            given().post("/api/v1/catalog/versions/" + (i % 2 == 0 ? older : newer) + "/activate").then().statusCode(200);
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
        assertTrue(Set.of(older, newer).containsAll(versionsSeen), "versions seen: " + versionsSeen);
        assertEquals(newer, Api.activeVersion());
    }
}
