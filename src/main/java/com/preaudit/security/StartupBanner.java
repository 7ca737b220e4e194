package com.preaudit.security;

import com.preaudit.platform.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a newcomer sees last after the start: where the console and Swagger UI are, where the admin
 * token is and how to mint a token for a HIS. Written a moment after the start so that it follows
 * Quarkus' own "started" lines instead of drowning among the migrations. Never prints a token value.
 */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger("com.preaudit");

    @Inject
    AdminBootstrap bootstrap;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @ConfigProperty(name = "preaudit.startup-banner", defaultValue = "true")
    boolean enabled;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("preaudit-banner"));
        timer.schedule(() -> LOG.info(text()), 1500, TimeUnit.MILLISECONDS);
    }

    String text() {
        String base = "http://localhost:" + port;
        String token = bootstrap.tokenFile().map(f -> "$(cat " + f + ")").orElse("$PREAUDIT_ADMIN_TOKEN");
        String where = bootstrap.tokenFile().map(f -> "admin token:  " + f + " (readable by this user only)")
                .orElse(bootstrap.configuredFromEnvironment() ? "admin token:  the value of PREAUDIT_ADMIN_TOKEN"
                        : "admin token:  minted on an earlier first start; ask your PreAudit administrator, or set PREAUDIT_ADMIN_TOKEN");
        return "\n"
                + "  PreAudit is ready: " + base + "\n"
                + "  console:      " + base + "/console\n"
                + "  Swagger UI:   " + base + "/q/swagger-ui (\"Authorize\": paste a token)\n"
                + "  " + where + "\n"
                + "  a token for a HIS (role audit-client; the value is shown once):\n"
                + "    curl -s -X POST " + base + "/api/v1/tokens -H \"Authorization: Bearer " + token + "\" \\\n"
                + "      -H 'Content-Type: application/json' \\\n"
                + "      -d '{\"subject\": \"his-outpatient\", \"roles\": [\"audit-client\"], \"expiresInDays\": 365}'";
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
