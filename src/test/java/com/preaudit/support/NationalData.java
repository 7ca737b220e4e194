package com.preaudit.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The national knowledge files (never copied into the repository): {@code -Dpreaudit.knowledge.dir},
 * else {@code ../shared/knowledge/nhsa-2025} next to the checkout; no other place is searched.
 * Where they are absent a developer's run skips the tests that need them, with a message, but a CI
 * run ({@code CI=true}) fails: a green CI must not mean "the national tests ran zero times".
 */
public final class NationalData {

    public static final String DEFAULT = "../shared/knowledge/nhsa-2025";

    private NationalData() {
    }

    /** The folder, or the test is skipped (locally) / failed (CI) right here. */
    public static Path dir() {
        return dir(System.getProperty("preaudit.knowledge.dir"), onCi());
    }

    static Path dir(String configured, boolean ci) {
        Path dir = Path.of(configured == null || configured.isBlank() ? DEFAULT : configured);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        String why = "national knowledge folder " + dir.toAbsolutePath().normalize() + " not found (set -Dpreaudit.knowledge.dir"
                + (configured == null ? " or provide " + DEFAULT : "") + ")";
        if (ci) {
            return Assertions.fail(why + "; on CI (CI=true) the national tests must run");
        }
        Assumptions.abort(why + ": national tests skipped");
        return null;
    }

    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci) && !"0".equals(ci);
    }
}
