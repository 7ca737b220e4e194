package com.preaudit.stats;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** {@code preaudit.stats.*}. */
@ConfigMapping(prefix = "preaudit.stats")
public interface StatsConfig {

    /**
     * Time zone whose calendar days the statistics count in (a hospital's day is its local day, e.g.
     * Asia/Shanghai); the JVM's zone when unset.
     */
    Optional<String> zone();
}
