package com.preaudit.catalog;

import com.preaudit.engine.CatalogSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a compiled catalog version is active: before that every audit would fail. */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {

    private final CatalogRuntime runtime;

    public CatalogReadiness(CatalogRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        CatalogSnapshot active = runtime.active();
        if (active == null) {
            return HealthCheckResponse.named("catalog").down().withData("reason", "no catalog version loaded").build();
        }
        return HealthCheckResponse.named("catalog").up()
                .withData("activeVersion", active.version())
                .withData("rules", active.ruleCount())
                .withData("knowledgeRows", active.knowledgeRowCount())
                .build();
    }
}
