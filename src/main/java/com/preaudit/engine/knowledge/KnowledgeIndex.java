package com.preaudit.engine.knowledge;

import com.preaudit.engine.KnowledgeCsv;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Item-code index of one knowledge set. Exact codes live in a hash map, prefix patterns in a character trie, so a
 * lookup costs one hash probe plus at most one step per character of the code: independent of the set's size.
 *
 * <p>Invariant: every array handed out is sorted by row ordinal, duplicate-free, and never modified.
 */
public final class KnowledgeIndex {
    public static final IndexedRow[] NONE = new IndexedRow[0];

    private final String name;
    private final List<String> columns;
    private final IndexedRow[] rows;
    private final HashMap<String, IndexedRow[]> exact;
    private final PrefixTrie<IndexedRow[]> trie;   // null when the set has no prefix patterns
    private final List<String> prefixes;   // the patterns without their '*', sorted

    private KnowledgeIndex(String name, List<String> columns, IndexedRow[] rows,
                           HashMap<String, IndexedRow[]> exact, PrefixTrie<IndexedRow[]> trie, List<String> prefixes) {
        this.name = name;
        this.columns = columns;
        this.rows = rows;
        this.exact = exact;
        this.trie = trie;
        this.prefixes = prefixes;
    }

    public String name() {
        return name;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.length;
    }

    /**
     * Rows whose codes match {@code code}, in set order; {@link #NONE} when none. No allocation unless both exact
     * rows and pattern rows (or patterns at several depths) match.
     */
    public IndexedRow[] lookup(String code) {
        if (code == null) return NONE;
        IndexedRow[] hit = exact.get(code);
        if (trie == null) return hit == null ? NONE : hit;
        IndexedRow[] acc = hit;
        PrefixTrie.Node<IndexedRow[]> n = trie.root();
        for (int i = 0, len = code.length(); i < len; i++) {
            n = n.child(code.charAt(i));
            if (n == null) break;
            if (n.value != null) acc = acc == null ? n.value : merge(acc, n.value);
        }
        return acc == null ? NONE : acc;
    }

    /** Whether the set has prefix patterns ({@code ABC*}); without them, a code matches iff it is in {@link #exactCodes}. */
    public boolean hasPatterns() {
        return trie != null;
    }

    /** The exact (non-pattern) codes of the set; a read-only view. */
    public java.util.Set<String> exactCodes() {
        return Collections.unmodifiableSet(exact.keySet());
    }

    /**
     * The prefix patterns of the set without their {@code *} (sorted, never empty strings): {@link #lookup} finds a
     * pattern row for a code exactly when one of these is a prefix of the code. Read-only.
     */
    public List<String> patternPrefixes() {
        return prefixes;
    }

    /** Whether any row matches {@code code}. */
    public boolean contains(String code) {
        return lookup(code).length != 0;
    }

    private static IndexedRow[] merge(IndexedRow[] a, IndexedRow[] b) {
        IndexedRow[] out = new IndexedRow[a.length + b.length];
        int i = 0, j = 0, k = 0;
        while (i < a.length || j < b.length) {
            IndexedRow next;
            if (j >= b.length || i < a.length && a[i].ordinal() <= b[j].ordinal()) next = a[i++];
            else next = b[j++];
            if (k == 0 || out[k - 1] != next) out[k++] = next;
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /**
     * Builds the index and the typed {@code kp} maps of every row.
     *
     * @param problems receives one message per invalid row (such rows are left out)
     */
    public static KnowledgeIndex build(KnowledgeSet set, List<String> problems) {
        String name = set.name();
        List<String> columns = set.columns() == null ? List.of() : List.copyOf(set.columns());
        // slot table: kp_id, item_codes, then the declared columns, then any extra value keys found in rows
        LinkedHashMap<String, Integer> slotMap = new LinkedHashMap<>();
        slotMap.put(KnowledgeCsv.KP_ID, 0);
        slotMap.put(KnowledgeCsv.ITEM_CODES, 1);
        for (String c : columns) slotMap.putIfAbsent(c, slotMap.size());
        List<KnowledgeRow> src = set.rows() == null ? List.of() : set.rows();
        for (KnowledgeRow r : src) {
            if (r != null && r.values() != null) for (String k : r.values().keySet()) slotMap.putIfAbsent(k, slotMap.size());
        }
        Map<String, Integer> slots = Collections.unmodifiableMap(new HashMap<>(slotMap));
        String[] keys = slotMap.keySet().toArray(new String[0]);

        List<IndexedRow> built = new ArrayList<>(src.size());
        Map<String, List<IndexedRow>> exactLists = new HashMap<>();
        TreeMap<String, List<IndexedRow>> patterns = new TreeMap<>();
        for (int r = 0; r < src.size(); r++) {
            KnowledgeRow row = src.get(r);
            String where = "knowledge set " + name + " row " + (r + 1);
            if (row == null || row.itemCodes() == null || row.itemCodes().isEmpty()) {
                problems.add(where + ": missing item_codes");
                continue;
            }
            List<String> codes = new ArrayList<>(row.itemCodes().size());
            boolean bad = false;
            for (String c : row.itemCodes()) {
                String code = c == null ? null : c.trim();
                String p = KnowledgeCsv.codeProblem(code);
                if (p != null) {
                    problems.add(where + ": " + p);
                    bad = true;
                } else if (!codes.contains(code)) {
                    codes.add(code);
                }
            }
            if (bad) continue;
            Object[] values = new Object[keys.length];
            String kpId = row.kpId() == null || row.kpId().isBlank() ? name + "#" + (r + 1) : row.kpId().trim();
            values[0] = kpId;
            values[1] = String.join("|", codes);
            if (row.values() != null) {
                for (Map.Entry<String, String> e : row.values().entrySet()) {
                    Integer slot = slots.get(e.getKey());
                    if (slot != null && slot > 1) values[slot] = Values.typed(e.getValue());
                }
            }
            Object ct = row.values() == null ? null : row.values().get("constraint_text");
            String basis = ct instanceof String s && !s.isBlank() ? s.trim() : null;
            IndexedRow ir = new IndexedRow(kpId, codes.toArray(new String[0]), new KpValues(slots, keys, values),
                built.size(), basis);
            built.add(ir);
            for (String code : codes) {
                if (code.endsWith("*")) {
                    patterns.computeIfAbsent(code.substring(0, code.length() - 1), k -> new ArrayList<>(1)).add(ir);
                } else {
                    exactLists.computeIfAbsent(code, k -> new ArrayList<>(1)).add(ir);
                }
            }
        }
        HashMap<String, IndexedRow[]> exact = new HashMap<>(Math.max(16, exactLists.size() * 4 / 3 + 1));
        for (Map.Entry<String, List<IndexedRow>> e : exactLists.entrySet()) {
            exact.put(e.getKey(), e.getValue().toArray(NONE));
        }
        PrefixTrie.Builder<IndexedRow> prefixes = new PrefixTrie.Builder<>();
        for (Map.Entry<String, List<IndexedRow>> e : patterns.entrySet()) {
            for (IndexedRow row : e.getValue()) prefixes.add(e.getKey(), row);
        }
        PrefixTrie<IndexedRow[]> trie = prefixes.freeze(rows -> rows.stream().distinct()
            .sorted((a, b) -> Integer.compare(a.ordinal(), b.ordinal())).toArray(IndexedRow[]::new));
        return new KnowledgeIndex(name, columns, built.toArray(NONE), exact, trie, List.copyOf(patterns.keySet()));
    }
}
