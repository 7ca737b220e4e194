package com.preaudit.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.preaudit.engine.CatalogSnapshot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The compiled catalog versions held in memory and the one audits use. An audit reads
 * {@link #active()} once and keeps that snapshot to the end, so an activation never changes the
 * rules under a running audit; the swap itself is one atomic reference write.
 */
public final class CatalogRuntime {

    private final AtomicReference<CatalogSnapshot> active = new AtomicReference<>();
    private final Cache<Long, CatalogSnapshot> compiled;

    public CatalogRuntime(int cacheSize) {
        this.compiled = Caffeine.newBuilder().maximumSize(Math.max(1, cacheSize)).build();
    }

    /** The active snapshot, or null before the first version is loaded. */
    public CatalogSnapshot active() {
        return active.get();
    }

    public CatalogSnapshot cached(long version) {
        CatalogSnapshot a = active.get();
        if (a != null && a.version() == version) {
            return a;
        }
        return compiled.getIfPresent(version);
    }

    public void put(CatalogSnapshot snapshot) {
        compiled.put(snapshot.version(), snapshot);
    }

    /** Makes {@code snapshot} the active version (and keeps it cached for a later rollback). */
    public void activate(CatalogSnapshot snapshot) {
        compiled.put(snapshot.version(), snapshot);
        active.set(snapshot);
    }

    public void invalidate(long version) {
        compiled.invalidate(version);
    }

    public long cacheSize() {
        return compiled.estimatedSize();
    }
}
