package com.preaudit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package map of docs/DESIGN.md, checked on the sources: each room of {@code src/main/java} names only the rooms
 * the map lets it depend on (imports and fully qualified names alike), so a dependency that points back up fails the
 * build instead of waiting for a reader to notice it.
 */
class PackageDoorsTest {

    static final Path ROOT = Path.of("src/main/java/com/preaudit");

    static final Set<String> LOWER = Set.of("engine", "catalog", "audit", "stats", "interop", "platform");

    /** Room → the rooms it may name (besides itself). interop.cdshooks and interop.nhsa may use interop's shared part. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "engine", Set.of(),
            "platform", Set.of(),
            "catalog", Set.of("engine", "platform"),
            "audit", Set.of("catalog", "engine", "platform"),
            "stats", Set.of("engine", "platform"),
            "interop", Set.of("audit", "engine", "platform"),
            "security", LOWER,
            "simulation", union(LOWER, Set.of("security")),
            "console", union(LOWER, Set.of("security", "simulation")));

    static final Pattern REFERENCE = Pattern.compile("com\\.preaudit\\.([a-z]+)");

    @Test
    void everyRoomNamesOnlyTheRoomsBelowIt() throws IOException {
        List<String> wrongWay = new ArrayList<>();
        Set<String> rooms = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = ROOT.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the application's entry point, above every room
                }
                String room = relative.getName(0).toString();
                rooms.add(room);
                Set<String> allowed = ALLOWED.get(room);
                assertTrue(allowed != null, "package " + room + " is not on DESIGN.md's map");
                Matcher m = REFERENCE.matcher(Files.readString(file));
                Set<String> named = new TreeSet<>();
                while (m.find()) {
                    String other = m.group(1);
                    if (!other.equals(room) && !allowed.contains(other)) {
                        named.add(other);
                    }
                }
                named.forEach(other -> wrongWay.add(relative + " → " + other));
            }
        }
        assertEquals(ALLOWED.keySet(), rooms, "the map and the packages differ");
        assertEquals(List.of(), wrongWay, "dependencies that point the wrong way (docs/DESIGN.md, Packages)");
    }

    @Test
    void theTwoInteropTranslatorsDoNotUseEachOther() throws IOException {
        List<String> crossing = new ArrayList<>();
        for (String[] pair : new String[][] {{"cdshooks", "nhsa"}, {"nhsa", "cdshooks"}}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve("interop").resolve(pair[0]))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(file).contains("com.preaudit.interop." + pair[1])) {
                        crossing.add(ROOT.relativize(file) + " → interop." + pair[1]);
                    }
                }
            }
        }
        assertEquals(List.of(), crossing);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
