package com.preaudit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.preaudit.platform.DaemonThreads;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Verifies PreAudit token values against the database through a cache keyed by the value's digest,
 * so that an audit does not pay a database round trip for its credential.
 *
 * <p>Freshness, not a fixed expiry, bounds what the cache may answer: a verdict younger than
 * {@code fresh} is used as is; up to {@code stale} it is still used while a background task checks
 * the database again; older than that the request waits for the database. A revocation on any node
 * therefore reaches every node within {@code stale} plus one query (≤ 5 s with the defaults, 1 s and
 * 3 s). When the database cannot be reached, the last known verdict stands (audits keep answering in
 * degraded mode, PRODUCT.md §8) and it is checked again in the background until the database answers.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);

    /** A verdict on one digest: the grant (null: no live token has it) and when the database said so. */
    record Known(TokenGrant grant, long checkedAtNanos) { }

    @Inject
    TokenStore store;

    @ConfigProperty(name = "preaudit.auth.token-cache.fresh", defaultValue = "1s")
    Duration fresh;

    @ConfigProperty(name = "preaudit.auth.token-cache.stale", defaultValue = "3s")
    Duration stale;

    @ConfigProperty(name = "preaudit.auth.token-check-timeout", defaultValue = "1s")
    Duration checkTimeout;

    @ConfigProperty(name = "preaudit.auth.first-check-timeout", defaultValue = "10s")
    Duration firstCheckTimeout;

    private final Cache<String, Known> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** False after a failed database check, until one succeeds: stale verdicts are then used without waiting. */
    private volatile boolean databaseAnswers = true;
    private final ExecutorService refresher = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), DaemonThreads.named("preaudit-token-refresh"), new ThreadPoolExecutor.AbortPolicy());

    {
        ((ThreadPoolExecutor) refresher).allowCoreThreadTimeOut(true);
    }

    /**
     * The answer the cache can give without waiting: empty when the database must be asked
     * ({@link #verifyBlocking}); otherwise the grant, or an empty grant for a refused value.
     */
    Optional<Optional<TokenGrant>> cached(String value) {
        String hash = TokenStore.hash(value);
        Known k = cache.getIfPresent(hash);
        if (k == null) {
            return Optional.empty();
        }
        long age = System.nanoTime() - k.checkedAtNanos();
        if (age >= fresh.toNanos()) {
            if (age >= stale.toNanos() && databaseAnswers) {
                return Optional.empty();
            }
            refreshInBackground(hash);
        }
        return Optional.of(live(k));
    }

    /** Verifies the value, asking the database when the cached verdict is too old. Blocking. */
    public Optional<TokenGrant> verifyBlocking(String value) {
        Optional<Optional<TokenGrant>> c = cached(value);
        if (c.isPresent()) {
            return c.get();
        }
        String hash = TokenStore.hash(value);
        try {
            // Bounded wait: a database that hangs must not hold an audit longer than checkTimeout when
            // there is a last verdict to fall back on; a value never seen has none, so it waits longer.
            Duration wait = cache.getIfPresent(hash) != null ? checkTimeout : firstCheckTimeout;
            return live(refresher.submit(() -> check(hash)).get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback(hash, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return fallback(hash, e);
        }
    }

    private Optional<TokenGrant> fallback(String hash, Exception e) {
        databaseAnswers = false;
        LOG.debugf("token check could not reach the database (%s); using the last known verdict", e.getClass().getSimpleName());
        Known last = cache.getIfPresent(hash);
        // never seen: nothing to fall back on, refused (the client retries once the database is back)
        return last == null ? Optional.empty() : live(last);
    }

    /** Remembers a token minted or configured on this node, so it works even before the database is asked. */
    void remember(ApiToken t) {
        cache.put(t.tokenHash, new Known(grantOf(t), System.nanoTime()));
    }

    /** Forgets the verdict on a revoked token at once on this node (other nodes: within {@code stale}). */
    void forget(String hash) {
        cache.put(hash, new Known(null, System.nanoTime()));
    }

    private Known check(String hash) {
        Optional<ApiToken> t = store.findByHash(hash);
        Known k = new Known(t.map(TokenVerifier::grantOf).orElse(null), System.nanoTime());
        cache.put(hash, k);
        databaseAnswers = true;
        return k;
    }

    private void refreshInBackground(String hash) {
        if (!refreshing.add(hash)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    check(hash);
                } catch (RuntimeException e) {
                    databaseAnswers = false;
                } finally {
                    refreshing.remove(hash);
                }
            });
        } catch (RuntimeException e) {
            refreshing.remove(hash);
        }
    }

    private static Optional<TokenGrant> live(Known k) {
        TokenGrant g = k.grant();
        return g == null || g.expired(Instant.now()) ? Optional.empty() : Optional.of(g);
    }

    static TokenGrant grantOf(ApiToken t) {
        if (t.revokedAt != null) {
            return null;
        }
        return new TokenGrant(t.id, Identities.of(t.subject, t.roleList(), "token", t.id),
                t.expiresAt == null ? null : t.expiresAt.toInstant());
    }

    void stop(@Observes ShutdownEvent e) {
        refresher.shutdownNow();
    }
}
