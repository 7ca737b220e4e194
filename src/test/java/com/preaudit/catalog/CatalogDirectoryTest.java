package com.preaudit.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The catalog directory read at start-up (preaudit.catalog.dir), also when the configured path is a symbolic link. */
class CatalogDirectoryTest {

    private static final Path CATALOG = Path.of("rules-catalog");

    @Test
    void aCatalogDirectoryReachedThroughASymbolicLinkReadsAsTheDirectoryItself(@TempDir Path tmp) throws Exception {
        CatalogContent direct = CatalogArchive.readDirectory(CATALOG);
        assertFalse(direct.rules().isEmpty());

        Path link = Files.createSymbolicLink(tmp.resolve("catalog"), CATALOG.toAbsolutePath());
        CatalogContent linked = CatalogArchive.readDirectory(link);
        assertEquals(direct.rules().keySet(), linked.rules().keySet());
        assertEquals(direct.sets().keySet(), linked.sets().keySet());
        assertEquals(direct.meta(), linked.meta());
    }
}
