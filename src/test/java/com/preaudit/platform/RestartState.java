package com.preaudit.platform;


/**
 * Hand-over between the two halves of the restart test. Quarkus restarts load test classes in a new
 * class loader, so plain static fields do not carry over; system properties do.
 */
final class RestartState {
    private static final String PREFIX = "preaudit.test.restart.";

    private RestartState() {
    }

    static void write(String key, String value) {
        System.setProperty(PREFIX + key, value);
    }

    static String read(String key) {
        return System.getProperty(PREFIX + key);
    }

}
