package com.preaudit.engine;

import java.util.function.Function;

/**
 * What a catalog compile may take over from earlier compiles. A compiled expression or message template depends only
 * on its text, a knowledge index only on its set's content, and all three are immutable and shared by every snapshot
 * that holds them; so a version that changes one rule or one knowledge set compiles that rule or that set and takes
 * the rest as they are. A node told of another node's publish then installs it in a fraction of a full compile.
 *
 * <p>The engine names the keys (records of the text or the set's content, equal exactly when the compiled result
 * would be); the owner of the cache decides how long entries live. {@link CatalogSnapshot} keeps every part it uses
 * reachable, so a cache that holds its values weakly keeps exactly the parts of the snapshots still alive.
 */
public interface CompileCache {

    /** Compiles everything afresh. */
    CompileCache NONE = new CompileCache() {
        @Override
        public <K, V> V get(K key, Function<? super K, ? extends V> compute) {
            return compute.apply(key);
        }
    };

    /**
     * The value for {@code key}: the one computed before for an equal key, else {@code compute}'s. A compute that
     * throws leaves nothing behind (a rule that does not compile is reported again on the next compile).
     */
    <K, V> V get(K key, Function<? super K, ? extends V> compute);
}
