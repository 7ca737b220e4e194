package com.preaudit.platform;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Audit and finding ids: RFC 9562 version 7 UUIDs (48-bit Unix milliseconds, then random bits).
 *
 * <p>Why not {@link UUID#randomUUID()}: it draws from the shared {@code SecureRandom}, which takes a
 * lock per call; an audit makes one id per finding, so under load the request threads queue on it.
 * Why time-ordered: the ids are primary keys of {@code audit_record} and {@code audit_finding}; ids
 * that grow with time append to the right edge of the B-tree instead of touching a random page per
 * insert. The 74 random bits come from {@link ThreadLocalRandom}: ids must be unique, not secret
 * (they are references inside the hospital's own systems, not credentials).
 */
public final class Ids {

    private Ids() {
    }

    /** The UUID an id in a path or body names, or null when it is not one (an unknown id, answered 404 by the caller). */
    public static java.util.UUID parseOrNull(String id) {
        try {
            return id == null ? null : java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static String newId() {
        return uuid7(System.currentTimeMillis()).toString();
    }

    /** The Unix milliseconds an id of {@link #newId()} was made at, or -1 for a UUID of another version. */
    public static long epochMillis(UUID id) {
        return id.version() == 7 ? id.getMostSignificantBits() >>> 16 : -1;
    }

    /** A v7 id of the given time: {@link #newId()}'s, and tests' ids of audits made at another time. */
    public static UUID uuid7(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
