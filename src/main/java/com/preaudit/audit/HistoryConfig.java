package com.preaudit.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code preaudit.history.*}: how much stored history an audit reads, and how it behaves when PostgreSQL is away. */
@ConfigMapping(prefix = "preaudit.history")
public interface HistoryConfig {

    /**
     * Days before the earliest audited line that stored lines of the same items are read. 400 covers
     * a calendar/insurance year plus the longest course-of-treatment and repeat-exam intervals.
     */
    @WithDefault("400")
    int lookbackDays();

    /**
     * Stored lines whose item code shares this many leading characters with an audited line are read
     * (0 = exact codes only). Six characters of a national code are the drug's type + ATC class or
     * the service's sub-chapter, so course, second-line and same-class rules whose knowledge rows
     * group related codes still see them, while the lookup stays an index range per code.
     */
    @WithDefault("6")
    int codePrefixLength();

    /** Upper bound of stored lines handed to one audit (the most recent win). */
    @WithDefault("20000")
    int maxLines();

    /** Statement timeout of the history query; beyond it the audit answers degraded. */
    @WithDefault("2s")
    Duration queryTimeout();

    /**
     * After a failed lookup, audits answer degraded without touching the database for this long;
     * then one audit probes it again (a small circuit breaker, so a dead database never slows audits).
     */
    @WithDefault("1s")
    Duration retryAfter();

    /**
     * Stored lines this node keeps in memory across patients (0 = none: every audit reads its lines
     * from the store). A copy is checked against the patient's {@code charge_version} on every
     * audit, so it is never stale; it only spares re-reading lines that have not changed.
     */
    @WithDefault("200000")
    int cacheLines();

    /** A patient with more live lines than this is not copied; its audits read through the store's query. */
    @WithDefault("5000")
    int cachePatientLines();
}
