package com.preaudit.support;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Missing national files: skipped on a developer's machine, a failure on CI, and no other folder searched. */
class NationalDataTest {

    @Test
    void missingFilesFailOnCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> NationalData.dir("/nonexistent/nhsa-2025", true));
        assertTrue(e.getMessage().contains("CI=true"), e.getMessage());
    }

    @Test
    void missingFilesSkipLocally() {
        assertThrows(TestAbortedException.class, () -> NationalData.dir("/nonexistent/nhsa-2025", false));
    }

    @Test
    void aConfiguredFolderIsTheOnlyPlaceLooked() {
        // even where ../shared exists, a wrong -Dpreaudit.knowledge.dir is not silently replaced by it
        assertThrows(TestAbortedException.class, () -> NationalData.dir("/nonexistent/nhsa-2025", false));
        assertEquals(java.nio.file.Path.of("src"), NationalData.dir("src", true));
    }
}
