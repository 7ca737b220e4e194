package com.preaudit.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code preaudit.catalog.*}; every key can be set from the environment (PREAUDIT_CATALOG_DIR …). */
@ConfigMapping(prefix = "preaudit.catalog")
public interface CatalogConfig {

    /** rules-catalog/ folder imported and published as version 1 when the database has no version. */
    @WithDefault("rules-catalog")
    String dir();

    /** Import {@link #dir()} on first start with an empty database. */
    @WithDefault("true")
    boolean bootstrap();

    /** How many compiled versions stay in memory (the active one is always kept as well). */
    @WithDefault("4")
    int cacheSize();

    /** Fallback check of the active version, for a node that missed a NOTIFY. */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * Four-eyes publishing: {@code none} (a publish is active at once) or {@code required} (a publish is PENDING
     * until another rule-publisher approves it).
     */
    @WithDefault("none")
    Approval approval();

    enum Approval { none, required }

    /** Largest accepted catalog archive or knowledge CSV upload, in bytes. */
    @WithDefault("67108864")
    long maxUploadBytes();
}
