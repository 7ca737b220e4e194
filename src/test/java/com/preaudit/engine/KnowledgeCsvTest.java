package com.preaudit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KnowledgeCsvTest {

    private static KnowledgeSet parse(String csv) {
        return KnowledgeCsv.parse("t", new StringReader(csv));
    }

    private static List<CsvError> errors(String csv) {
        return assertThrows(KnowledgeCsvException.class, () -> parse(csv)).errors();
    }

    @Test
    void goodFile() {
        KnowledgeSet s = parse("""
            kp_id,item_codes,item_name,gender,max_days
            KP-1,A1|A2,药品甲,F,30
            KP-2,B1*,药品乙,M,
            """);
        assertEquals("t", s.name());
        assertEquals(List.of("kp_id", "item_codes", "item_name", "gender", "max_days"), s.columns());
        assertEquals(2, s.rows().size());
        KnowledgeRow r = s.rows().get(0);
        assertEquals("KP-1", r.kpId());
        assertEquals(List.of("A1", "A2"), r.itemCodes());
        assertEquals(Map.of("item_name", "药品甲", "gender", "F", "max_days", "30"), r.values());
        assertEquals(List.of("B1*"), s.rows().get(1).itemCodes());
        assertEquals("", s.rows().get(1).values().get("max_days"));
    }

    @Test
    void quotingBomCrlfAndBlankLines() {
        String csv = "\uFEFFitem_codes,item_name,constraint_text\r\n"
            + "\"A1|A2\",\"阿莫西林, 胶囊\",\"限\"\"儿童\"\"使用\r\n第二行\"\r\n"
            + "\r\n"
            + "B1,plain,\"\"\r\n"
            + "C1,last,no newline at end";
        KnowledgeSet s = parse(csv);
        assertEquals(List.of("item_codes", "item_name", "constraint_text"), s.columns());
        assertEquals(3, s.rows().size());
        assertEquals(List.of("A1", "A2"), s.rows().get(0).itemCodes());
        assertEquals("阿莫西林, 胶囊", s.rows().get(0).values().get("item_name"));
        assertEquals("限\"儿童\"使用\r\n第二行", s.rows().get(0).values().get("constraint_text"));
        assertEquals("", s.rows().get(1).values().get("constraint_text"));
        assertEquals("no newline at end", s.rows().get(2).values().get("constraint_text"));
    }

    @Test
    void generatedIdsAreStableAndDistinct() {
        String csv = "item_codes,item_name\nA1,甲\nA2,乙\nA1,甲\n";
        KnowledgeSet a = parse(csv), b = parse(csv);
        String id0 = a.rows().get(0).kpId();
        assertTrue(id0.matches("KP-[0-9a-f]{16}"), id0);
        assertEquals(id0, b.rows().get(0).kpId());
        assertNotEquals(id0, a.rows().get(1).kpId());
        assertEquals(id0 + "-2", a.rows().get(2).kpId(), "identical rows keep distinct ids");
        // blank kp_id cells are generated too
        KnowledgeSet c = parse("kp_id,item_codes,item_name\n,A1,甲\n");
        assertEquals(id0.length(), c.rows().get(0).kpId().length());
    }

    @Test
    void allErrorKindsAreCollectedWithRowAndColumn() {
        List<CsvError> e = errors("""
            kp_id,item_codes,name,name
            K1,,x,y
            K2,A1||A2,x,y
            K3,A*B,x,y
            K4,A1,x
            K5,*,x,y
            K1,B1,x,y
            K7,"A1" junk,x,y
            K8,A1,x"y,z
            K9,A 1,x,y
            """);
        assertHas(e, 1, "name", "duplicate column");
        assertHas(e, 2, "item_codes", "missing item_codes");
        assertHas(e, 3, "item_codes", "empty code");
        assertHas(e, 4, "item_codes", "'*' is only allowed at the end");
        assertHas(e, 5, null, "expected 4 fields, found 3");
        assertHas(e, 6, "item_codes", "bare '*'");
        assertHas(e, 7, "kp_id", "duplicate kp_id");
        assertHas(e, 8, "item_codes", "after closing quote");
        assertHas(e, 9, "name", "quote inside an unquoted field");
        assertHas(e, 10, "item_codes", "whitespace");
        assertEquals(10, e.size(), e::toString);
    }

    @Test
    void headerErrors() {
        assertHas(errors("kp_id,item_name\nK1,x\n"), 1, "item_codes", "missing required column item_codes");
        assertHas(errors(""), 1, null, "empty file");
        assertHas(errors("item_codes,,x\nA,b,c\n"), 1, null, "empty column name");
        assertHas(errors("item_codes,x\n\"A,b\n"), 2, "item_codes", "unterminated quoted field");
    }

    @Test
    void exceptionMessageSummarisesErrors() {
        KnowledgeCsvException ex = assertThrows(KnowledgeCsvException.class, () -> parse("a,b\n1,2\n"));
        assertTrue(ex.getMessage().contains("item_codes"), ex.getMessage());
    }

    private static void assertHas(List<CsvError> errors, int row, String column, String fragment) {
        assertTrue(errors.stream().anyMatch(e -> e.row() == row && java.util.Objects.equals(column, e.column())
                && e.message().contains(fragment)),
            () -> "no error (row " + row + ", " + column + ", '" + fragment + "') in " + errors);
    }

    @Test
    void allNationalFilesParseAndIndexQuickly() throws IOException {
        Path dir = com.preaudit.support.NationalData.dir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(21, files.size(), files::toString);
        long rows = 0, codes = 0;
        long t0 = System.nanoTime();
        List<KnowledgeSet> sets = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString().replace(".csv", "");
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                KnowledgeSet s = KnowledgeCsv.parse(name, r);
                assertFalse(s.rows().isEmpty(), name);
                assertTrue(s.columns().contains("item_codes"), name);
                for (KnowledgeRow row : s.rows()) {
                    assertTrue(row.kpId().startsWith("KP-"), name + " " + row.kpId());
                    codes += row.itemCodes().size();
                }
                rows += s.rows().size();
                sets.add(s);
            }
        }
        for (KnowledgeSet s : sets) {
            List<String> problems = new ArrayList<>();
            assertEquals(s.rows().size(), KnowledgeIndex.build(s, problems).size());
            assertEquals(List.of(), problems);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3501, rows);
        assertTrue(codes >= 22_000, "codes " + codes);
        assertTrue(ms < 5_000, "parsing + indexing took " + ms + " ms");
    }
}
