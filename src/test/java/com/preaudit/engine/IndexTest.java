package com.preaudit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.KpValues;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexTest {

    private static KnowledgeIndex index(String csv) {
        List<String> problems = new ArrayList<>();
        KnowledgeIndex idx = KnowledgeIndex.build(KnowledgeCsv.parse("s", new StringReader(csv)), problems);
        assertEquals(List.of(), problems);
        return idx;
    }

    private static List<String> ids(IndexedRow[] rows) {
        return Arrays.stream(rows).map(IndexedRow::kpId).toList();
    }

    @Test
    void exactCodes() {
        KnowledgeIndex idx = index("kp_id,item_codes\nK1,A1|A2\nK2,B1\n");
        assertEquals(List.of("K1"), ids(idx.lookup("A1")));
        assertEquals(List.of("K1"), ids(idx.lookup("A2")));
        assertEquals(List.of("K2"), ids(idx.lookup("B1")));
        assertSame(KnowledgeIndex.NONE, idx.lookup("A"));
        assertSame(KnowledgeIndex.NONE, idx.lookup("A10"));
        assertSame(KnowledgeIndex.NONE, idx.lookup(null));
        assertTrue(idx.contains("A2"));
        assertFalse(idx.contains("C"));
    }

    @Test
    void prefixPatterns() {
        KnowledgeIndex idx = index("kp_id,item_codes\nK1,XA01*\nK2,XA0*\nK3,Z9\n");
        assertEquals(List.of("K1", "K2"), ids(idx.lookup("XA01BCD")));
        assertEquals(List.of("K2"), ids(idx.lookup("XA02")));
        assertEquals(List.of("K1", "K2"), ids(idx.lookup("XA01")), "a pattern matches its own prefix");
        assertEquals(List.of(), ids(idx.lookup("XA")));
        assertEquals(List.of(), ids(idx.lookup("XB01")));
        assertEquals(List.of("K3"), ids(idx.lookup("Z9")));
    }

    @Test
    void multipleRowsPerCodeKeepSetOrderWithoutDuplicates() {
        KnowledgeIndex idx = index("kp_id,item_codes\nK1,A*\nK2,AB1\nK3,AB1|AB*\nK4,AB1\n");
        assertEquals(List.of("K1", "K2", "K3", "K4"), ids(idx.lookup("AB1")));
        assertEquals(List.of("K1", "K3"), ids(idx.lookup("AB2")));
        assertEquals(4, idx.size());
    }

    @Test
    void rowValuesAreTypedOnceAndMissingColumnsReadNull() {
        KnowledgeIndex idx = index("kp_id,item_codes,max_days,ratio,big,text,blank,neg\n"
            + "K1,A1|B2*,30,0.5,12345678901,007x, ,-3\n");
        KpValues kp = idx.lookup("A1")[0].kp();
        assertEquals(30, kp.get("max_days"));
        assertEquals(new BigDecimal("0.5"), kp.get("ratio"));
        assertEquals(new BigDecimal("12345678901"), kp.get("big"));
        assertEquals("007x", kp.get("text"));
        assertNull(kp.get("blank"));
        assertEquals(-3, kp.get("neg"));
        assertEquals("K1", kp.get("kp_id"));
        assertEquals("A1|B2*", kp.get("item_codes"));
        assertNull(kp.get("diagnosis_codes"), "a column the set lacks reads null");
        assertTrue(kp.containsKey("diagnosis_codes"));
        assertSame(kp, idx.lookup("B2x")[0].kp(), "typed once per catalog, not per lookup");
    }

    @Test
    void basisIsConstraintText() {
        KnowledgeIndex idx = index("kp_id,item_codes,constraint_text\nK1,A1,限儿童\nK2,A2,  \n");
        assertEquals("限儿童", idx.lookup("A1")[0].basis());
        assertNull(idx.lookup("A2")[0].basis());
    }

    @Test
    void jsonSuppliedRowsAreCheckedToo() {
        List<String> problems = new ArrayList<>();
        KnowledgeSet set = new KnowledgeSet("s", List.of("kp_id", "item_codes"), List.of(
            new KnowledgeRow("K1", List.of("A1"), Map.of()),
            new KnowledgeRow("K2", List.of(), Map.of()),
            new KnowledgeRow("K3", List.of("A*B"), Map.of())));
        KnowledgeIndex idx = KnowledgeIndex.build(set, problems);
        assertEquals(1, idx.size());
        assertEquals(2, problems.size(), problems::toString);
    }

    @Test
    void nationalSetsLookupsAreExactAndCheap() throws IOException {
        Path dir = com.preaudit.support.NationalData.dir();
        KnowledgeIndex idx;
        try (Reader r = Files.newBufferedReader(dir.resolve("drug-gender.csv"))) {
            idx = KnowledgeIndex.build(KnowledgeCsv.parse("drug-gender", r), new ArrayList<>());
        }
        IndexedRow[] rows = idx.lookup("XG01AFA222D003010101770");
        assertEquals(1, rows.length);
        assertEquals("KP-c5f30de620be9aa3", rows[0].kpId());
        assertEquals("F", rows[0].kp().get("gender"));
        assertArrayEquals(new IndexedRow[0], idx.lookup("XG01AFA222D00301010177"));
    }
}
