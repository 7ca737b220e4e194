package com.preaudit.platform;

import com.preaudit.catalog.CatalogApiTest;
import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** First half of the restart check: writes state, then {@link RestartReadsTest} runs in a restarted service. */
@QuarkusTest
class RestartWritesTest {

    static final String RULE = "TEST-RESTART-MARKER";
    static int publishedVersion;

    @Test
    void publishAVersionBeforeTheRestart() {
        Api.putRule(RULE, CatalogApiTest.localRule()).then().statusCode(201);
        publishedVersion = Api.publish("before restart");
        assertTrue(publishedVersion > 1);
        RestartState.write("version", Integer.toString(publishedVersion));
    }

}
