package com.preaudit.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the national knowledge CSVs (never copied into the project). */
final class KnowledgeDir {
    private KnowledgeDir() {}

    /** {@code -Dpreaudit.knowledge.dir}, else ../shared/knowledge/nhsa-2025, else /work/shared/…; null if absent. */
    static Path find() {
        String prop = System.getProperty("preaudit.knowledge.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) return Paths.get(prop);
        for (String p : new String[] {"../shared/knowledge/nhsa-2025", "/work/shared/knowledge/nhsa-2025"}) {
            if (Files.isDirectory(Paths.get(p))) return Paths.get(p);
        }
        return null;
    }
}
