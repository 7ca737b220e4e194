package com.preaudit.catalog;

import com.preaudit.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that learnt of an activation (NOTIFY or the periodic check) compiles that version for
 * seconds before it swaps; a publish or activation landing meanwhile must not be overwritten by the
 * slower, older one. The two halves of {@link CatalogService#syncActive} are run around the newer
 * change to make that interleaving certain.
 */
@QuarkusTest
class ActivationRaceTest {

    @Inject
    CatalogService service;
    @Inject
    CatalogRuntime runtime;

    @Test
    void aSlowSyncDoesNotUndoALaterPublish() {
        int before = Api.activeVersion();
        CatalogService.ActiveTarget seen = service.activeTarget();
        assertEquals(before, seen.version());

        int published = Api.publish("lands while another sync compiles");
        service.install(seen, service.snapshot(seen.version()));

        assertEquals(published, runtime.active().version(), "the node went back to the version the slow sync had read");
        assertEquals(published, Api.activeVersion());
    }

    @Test
    void aRollbackToAnOlderNumberStillWins() {
        int older = Api.activeVersion();
        int newer = Api.publish("to be rolled back");
        CatalogService.ActiveTarget seenNewer = service.activeTarget();
        assertEquals(newer, seenNewer.version());

        given().post("/api/v1/catalog/versions/" + older + "/activate").then().statusCode(200);
        service.install(seenNewer, service.snapshot(newer));
        assertEquals(older, runtime.active().version(), "the rollback was undone by a sync that read the newer number first");

        // and the periodic check does not move the node away from the rollback either
        service.syncActive(-1);
        assertEquals(older, runtime.active().version());
        given().post("/api/v1/catalog/versions/" + newer + "/activate").then().statusCode(200);
    }
}
