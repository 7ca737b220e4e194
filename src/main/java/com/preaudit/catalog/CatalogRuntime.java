package com.preaudit.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.preaudit.engine.CatalogSnapshot;
import com.preaudit.engine.CompileCache;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The compiled catalog versions held in memory and the one audits use. An audit reads
 * {@link #active()} once and keeps that snapshot to the end, so an activation never changes the
 * rules under a running audit; the swap itself is one atomic reference write.
 */
public final class CatalogRuntime {

    /** The active snapshot and the database's activation sequence it was installed under. */
    private record Activation(CatalogSnapshot snapshot, long seq) { }

    private final AtomicReference<Activation> active = new AtomicReference<>();
    private final Cache<Long, CatalogSnapshot> compiled;
    /**
     * Compiled expressions, templates and knowledge indexes by their text or content, shared by every version that has
     * them: a version that changes one rule compiles one rule. Held weakly: a part lives as long as a snapshot using it
     * (each snapshot holds its parts), so this adds no memory beyond the versions kept anyway.
     */
    private final Cache<Object, Object> parts = Caffeine.newBuilder().weakValues().build();
    private final CompileCache compileCache = new CompileCache() {
        @Override
        @SuppressWarnings("unchecked")
        public <K, V> V get(K key, Function<? super K, ? extends V> compute) {
            return (V) parts.get(key, k -> compute.apply((K) k));
        }
    };

    public CatalogRuntime(int cacheSize) {
        this.compiled = Caffeine.newBuilder().maximumSize(Math.max(1, cacheSize)).build();
    }

    /** What every compile of this node takes its unchanged parts from. */
    public CompileCache compileCache() {
        return compileCache;
    }

    /** The active snapshot, or null before the first version is loaded. */
    public CatalogSnapshot active() {
        Activation a = active.get();
        return a == null ? null : a.snapshot();
    }

    /** The activation sequence of the active snapshot, or -1 before the first one. */
    public long activeSeq() {
        Activation a = active.get();
        return a == null ? -1 : a.seq();
    }

    public CatalogSnapshot cached(long version) {
        CatalogSnapshot a = active();
        if (a != null && a.version() == version) {
            return a;
        }
        return compiled.getIfPresent(version);
    }

    public void put(CatalogSnapshot snapshot) {
        compiled.put(snapshot.version(), snapshot);
    }

    /**
     * Makes {@code snapshot} the active version if {@code seq} is later than the active one's (and
     * keeps it cached for a later rollback either way). Activations reach a node out of order: a
     * NOTIFY-driven compile that started before a local publish may finish after it, and must lose.
     *
     * @return whether the snapshot became active
     */
    public boolean activate(CatalogSnapshot snapshot, long seq) {
        compiled.put(snapshot.version(), snapshot);
        Activation next = new Activation(snapshot, seq);
        while (true) {
            Activation current = active.get();
            if (current != null && current.seq() >= seq) {
                return false;
            }
            if (active.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    public void invalidate(long version) {
        compiled.invalidate(version);
    }

    public long cacheSize() {
        return compiled.estimatedSize();
    }
}
