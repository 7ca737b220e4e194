package com.preaudit.catalog;

import com.preaudit.support.Api;
import com.preaudit.support.Await;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out: several nodes share one PostgreSQL. A second listener on the same database stands in
 * for another node, and a plain JDBC transaction stands in for another node activating a version.
 */
@QuarkusTest
class CatalogNotificationTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void aSecondNodeHearsEveryPublishAndActivation() throws Exception {
        LinkedBlockingQueue<Integer> heard = new LinkedBlockingQueue<>();
        try (CatalogNotifier otherNode = new CatalogNotifier(url, user, password, Duration.ofHours(1), v -> {
            if (v > 0) {
                heard.add(v);
            }
        }).start()) {
            awaitListening(otherNode);
            int previous = Api.activeVersion();
            int published = Api.publish("heard by the other node");
            assertEquals(published, heard.poll(10, TimeUnit.SECONDS));
            given().post("/api/v1/catalog/versions/" + previous + "/activate").then().statusCode(200);
            assertEquals(previous, heard.poll(10, TimeUnit.SECONDS));
            given().post("/api/v1/catalog/versions/" + published + "/activate").then().statusCode(200);
            assertEquals(published, heard.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void thisNodeFollowsAnActivationMadeByAnotherNode() throws Exception {
        int older = Api.activeVersion();
        int newer = Api.publish("to be rolled back by another node");
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE catalog_state SET active_version = ?, activation_seq = activation_seq + 1 WHERE id = 1")) {
                ps.setInt(1, older);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(CatalogNotifier.notifySql())) {
                ps.setString(1, Integer.toString(older));
                ps.execute();
            }
            c.commit();
        }
        assertTrue(awaitReadyVersion(older), "the node did not switch to the version activated elsewhere");
        given().post("/api/v1/catalog/versions/" + newer + "/activate").then().statusCode(200);
        assertTrue(awaitReadyVersion(newer));
    }

    @Test
    void periodicCheckCallsBackWithoutANotification() throws Exception {
        LinkedBlockingQueue<Integer> checks = new LinkedBlockingQueue<>();
        try (CatalogNotifier node = new CatalogNotifier(url, user, password, Duration.ofMillis(200), checks::add).start()) {
            assertEquals(-1, checks.poll(10, TimeUnit.SECONDS)); // on connect
            assertEquals(-1, checks.poll(10, TimeUnit.SECONDS)); // periodic
        }
    }

    private static void awaitListening(CatalogNotifier n) throws Exception {
        assertTrue(Await.until(n::listening, listening -> listening, Duration.ofSeconds(10), Duration.ofMillis(20)));
    }

    private static boolean awaitReadyVersion(int version) throws Exception {
        Integer v = Await.until(() -> given().get("/q/health/ready").then().extract()
                        .<Integer>path("checks.find { it.name == 'catalog' }.data.activeVersion"),
                active -> active != null && active == version, Duration.ofSeconds(15), Duration.ofMillis(50));
        return v != null && v == version;
    }
}
