package com.preaudit.stats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/** {@code preaudit.stats.*}. */
@ConfigMapping(prefix = "preaudit.stats")
public interface StatsConfig {

    /**
     * Time zone whose calendar days the statistics count in (a hospital's day is its local day, e.g.
     * Asia/Shanghai); the JVM's zone when unset.
     */
    Optional<String> zone();

    /** {@link #zone} as a zone: the one every reader of the statistics' days (rankings, rollup, console, simulations) counts in. */
    default ZoneId zoneId() {
        return zone().filter(z -> !z.isBlank()).map(ZoneId::of).orElse(ZoneId.systemDefault());
    }

    /**
     * How many closed days before today are kept rolled up (the daily rollup, {@link StatsRollup}); older days, and any
     * day whose rollup is missing or stale, are computed from the audit tables on each request. 0 turns rolling off.
     */
    @WithDefault("62")
    int rollupDays();

    /**
     * How long after its end a day is rolled up: audit records still in a writer's queue at midnight, and the clock
     * differences between nodes, must have reached the database by then. A record written later than a minute after
     * its audit marks its day stale (the record writer), so this must stay well above a minute plus the nodes'
     * clock skew; at least 2 minutes.
     */
    @WithDefault("10m")
    Duration rollupAfter();

    /** How often a node looks for closed days to roll up (again), and drops stale marks no rollup needs any more. */
    @WithDefault("5m")
    Duration rollupCheck();
}
