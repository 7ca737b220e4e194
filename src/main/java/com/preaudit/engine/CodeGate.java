package com.preaudit.engine;

import com.preaudit.engine.knowledge.PrefixTrie;
import com.preaudit.engine.runtime.LineView;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The catalog's code gate, built once per snapshot: for every item code and code prefix of the knowledge sets of the
 * line rules that probe their set with the line's item code (scope LINE, matchOn ITEM), the gate slots of those rules.
 * An audit walks each request line's code through it once ({@link #list}) and so learns, per rule, which lines its set
 * can match at all. A rule none of whose lines is listed is not run: more rules must not mean slower audits of lines
 * they don't match.
 *
 * <p>Honest by construction: a rule's set yields rows for a code ({@link com.preaudit.engine.knowledge.KnowledgeIndex
 * #lookup}) exactly when the code is one of the set's exact codes or one of its pattern prefixes is a prefix of the
 * code, and the gate lists the rule's slot for a line in both cases (same case-sensitive comparison, prefixes of at
 * least one character, a prefix as long as the code included).
 */
final class CodeGate {
    private final HashMap<String, int[]> exact;
    private final PrefixTrie<int[]> trie;   // null when no gated set has prefix patterns
    final int slots;

    private CodeGate(HashMap<String, int[]> exact, PrefixTrie<int[]> trie, int slots) {
        this.exact = exact;
        this.trie = trie;
        this.slots = slots;
    }

    /** Assigns a slot to every gateable rule ({@link CompiledRule#gateSlot}); null when no rule is gateable. */
    static CodeGate build(CompiledRule[] rules) {
        HashMap<String, TreeSet<Integer>> codes = new HashMap<>();
        PrefixTrie.Builder<Integer> prefixes = new PrefixTrie.Builder<>();
        int slot = 0;
        for (CompiledRule r : rules) {
            if (!r.gateable()) continue;
            int s = slot++;
            r.gateSlot = s;
            for (String c : r.index.exactCodes()) codes.computeIfAbsent(c, k -> new TreeSet<>()).add(s);
            for (String p : r.index.patternPrefixes()) prefixes.add(p, s);
        }
        if (slot == 0) return null;
        HashMap<String, int[]> exact = new HashMap<>(Math.max(16, codes.size() * 4 / 3 + 1));
        for (Map.Entry<String, TreeSet<Integer>> e : codes.entrySet()) exact.put(e.getKey(), ints(e.getValue()));
        return new CodeGate(exact, prefixes.freeze(s -> ints(new TreeSet<>(s))), slot);
    }

    /**
     * Per gate slot, the request lines (indexes into {@code req}, ascending; a line may repeat when two of a set's
     * codes match it) whose code the slot's rule's set can match.
     */
    Listing list(LineView[] req) {
        Pairs pairs = new Pairs(Math.max(16, req.length * 2));
        for (int i = 0; i < req.length; i++) {
            String code = req[i].getItemCode();
            if (code == null) continue;
            int[] hit = exact.get(code);
            if (hit != null) pairs.add(hit, i);
            PrefixTrie.Node<int[]> n = trie == null ? null : trie.root();
            for (int c = 0, len = code.length(); n != null && c < len; c++) {
                n = n.child(code.charAt(c));
                if (n != null && n.value != null) pairs.add(n.value, i);
            }
        }
        int[] pairSlot = pairs.slot;
        int[] pairLine = pairs.line;
        int m = pairs.m;
        // counting sort by slot; stable, so each slot's lines stay ascending
        int[] start = new int[slots + 1];
        for (int k = 0; k < m; k++) start[pairSlot[k] + 1]++;
        for (int s = 0; s < slots; s++) start[s + 1] += start[s];
        int[] lines = new int[m];
        for (int k = 0; k < m; k++) lines[start[pairSlot[k]]++] = pairLine[k];
        // each start[s] now holds the end of slot s, i.e. the start of slot s + 1
        System.arraycopy(start, 0, start, 1, slots);
        start[0] = 0;
        return new Listing(start, lines);
    }

    /** One audit's answer of the gate: per slot, a range of {@link #lines}. */
    static final class Listing {
        final int[] start;   // slot s lists lines[start[s] .. start[s + 1])
        final int[] lines;

        Listing(int[] start, int[] lines) {
            this.start = start;
            this.lines = lines;
        }

        boolean isEmpty(int slot) {
            return start[slot] == start[slot + 1];
        }
    }

    /** The (slot, line) pairs one audit's lines met, in the order met; the arrays grow as needed. */
    private static final class Pairs {
        int[] slot;
        int[] line;
        int m;

        Pairs(int capacity) {
            slot = new int[capacity];
            line = new int[capacity];
        }

        /** Pairs each of {@code slots} with request line {@code lineIndex}. */
        void add(int[] slots, int lineIndex) {
            if (m + slots.length > slot.length) {
                slot = Arrays.copyOf(slot, Math.max(slot.length * 2, m + slots.length));
                line = Arrays.copyOf(line, slot.length);
            }
            for (int s : slots) {
                slot[m] = s;
                line[m++] = lineIndex;
            }
        }
    }

    private static int[] ints(java.util.Collection<Integer> xs) {
        int[] out = new int[xs.size()];
        int i = 0;
        for (int x : xs) out[i++] = x;
        return out;
    }
}
