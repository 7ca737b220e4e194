package com.preaudit.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code preaudit.disposition.*}. */
@ConfigMapping(prefix = "preaudit.disposition")
public interface DispositionConfig {

    /**
     * A disposition may arrive while its audit is still in the record writer's queue (batches are
     * written every few milliseconds). It waits at most this long for the audit record to commit, so
     * that both are in the database when 204 is answered; after that it is stored anyway (the
     * disposition table has no foreign key) and the writer stores the audit shortly.
     */
    @WithDefault("2s")
    Duration pendingAuditWait();
}
