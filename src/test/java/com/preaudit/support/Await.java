package com.preaudit.support;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polling for what happens asynchronously (the record writer's batches, a catalog notification): reads a value until
 * it is the awaited one or the time is up, and returns the last value read, so that the test asserts on it and its
 * failure message shows what was there instead.
 */
public final class Await {

    private Await() {
    }

    /** A read that may throw (JDBC, HTTP). */
    @FunctionalInterface
    public interface Read<T> {
        T get() throws Exception;
    }

    public static <T> T until(Read<T> read, Predicate<? super T> done, Duration timeout, Duration interval) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() - deadline < 0) {
            Thread.sleep(interval.toMillis());
            value = read.get();
        }
        return value;
    }
}
