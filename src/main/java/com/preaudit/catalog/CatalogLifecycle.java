package com.preaudit.catalog;

import com.preaudit.platform.ApiException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start-up of the catalog: import and publish rules-catalog/ into an empty database, load the active
 * version, and listen for versions activated by other nodes.
 */
@ApplicationScoped
public class CatalogLifecycle {

    private static final Logger LOG = Logger.getLogger(CatalogLifecycle.class);

    private final CatalogConfig config;
    private final CatalogService service;
    private final CatalogStore store;
    private CatalogNotifier notifier;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;

    public CatalogLifecycle(CatalogConfig config, CatalogService service, CatalogStore store) {
        this.config = config;
        this.service = service;
        this.store = store;
    }

    @Produces
    @Singleton
    static CatalogRuntime runtime(CatalogConfig config) {
        return new CatalogRuntime(config.cacheSize());
    }

    void onStart(@Observes StartupEvent event) {
        try {
            bootstrapIfEmpty();
            service.syncActive(-1);
        } catch (RuntimeException e) {
            // stay up but not ready: /q/health/ready says why the catalog is missing
            LOG.error("the catalog could not be loaded at start-up: " + describe(e), e);
        }
        notifier = new CatalogNotifier(jdbcUrl, user, password, config.pollInterval(), version -> {
            try {
                service.syncActive(version);
            } catch (RuntimeException e) {
                LOG.debugf("catalog sync failed: %s", e.getMessage());
            }
        }).start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (notifier != null) {
            notifier.close();
        }
    }

    private void bootstrapIfEmpty() {
        if (!config.bootstrap()) {
            return;
        }
        boolean empty = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> store.maxVersion() == 0);
        if (!empty) {
            return;
        }
        Path dir = Path.of(config.dir());
        if (!Files.isDirectory(dir)) {
            LOG.warnf("no catalog version in the database and no folder %s to import; publish one through the API", dir.toAbsolutePath());
            return;
        }
        try {
            CatalogContent content = CatalogArchive.readDirectory(dir);
            service.replaceDraft(content);
            // active at once, published by the service itself: there is no second person to approve it yet
            CatalogService.PublishResult r = service.publish("initial import of " + dir, null, "system", com.preaudit.platform.Caller.SYSTEM);
            LOG.infof("imported %s as catalog version %d", dir.toAbsolutePath(), r.version());
        } catch (ApiException e) {
            if (e.status() == 409 && io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> store.maxVersion() > 0)) {
                return; // another node bootstrapped at the same moment
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof ApiException a) {
            return a.getMessage() + " " + a.errors();
        }
        return e.toString();
    }

    /** For tests and health: whether the LISTEN connection is up. */
    public boolean listening() {
        return notifier != null && notifier.listening();
    }
}
