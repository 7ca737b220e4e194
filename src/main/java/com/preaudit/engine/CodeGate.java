package com.preaudit.engine;

import com.preaudit.engine.runtime.LineView;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
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
    private static final int[] NONE = {};

    private final HashMap<String, int[]> exact;
    private final Node trie;   // null when no gated set has prefix patterns
    final int slots;

    private CodeGate(HashMap<String, int[]> exact, Node trie, int slots) {
        this.exact = exact;
        this.trie = trie;
        this.slots = slots;
    }

    /** Assigns a slot to every gateable rule ({@link CompiledRule#gateSlot}); null when no rule is gateable. */
    static CodeGate build(CompiledRule[] rules) {
        HashMap<String, TreeSet<Integer>> codes = new HashMap<>();
        Builder root = new Builder();
        boolean patterns = false;
        int slot = 0;
        for (CompiledRule r : rules) {
            if (!r.gateable()) continue;
            int s = slot++;
            r.gateSlot = s;
            for (String c : r.index.exactCodes()) codes.computeIfAbsent(c, k -> new TreeSet<>()).add(s);
            for (String p : r.index.patternPrefixes()) {
                Builder b = root;
                for (int i = 0; i < p.length(); i++) b = b.kids.computeIfAbsent(p.charAt(i), k -> new Builder());
                b.slots.add(s);
                patterns = true;
            }
        }
        if (slot == 0) return null;
        HashMap<String, int[]> exact = new HashMap<>(Math.max(16, codes.size() * 4 / 3 + 1));
        for (Map.Entry<String, TreeSet<Integer>> e : codes.entrySet()) exact.put(e.getKey(), ints(e.getValue()));
        return new CodeGate(exact, patterns ? root.freeze() : null, slot);
    }

    /**
     * Per gate slot, the request lines (indexes into {@code req}, ascending; a line may repeat when two of a set's
     * codes match it) whose code the slot's rule's set can match.
     */
    Listing list(LineView[] req) {
        int[] pairSlot = new int[Math.max(16, req.length * 2)];
        int[] pairLine = new int[pairSlot.length];
        int m = 0;
        for (int i = 0; i < req.length; i++) {
            String code = req[i].getItemCode();
            if (code == null) continue;
            int[] hit = exact.get(code);
            if (hit != null) {
                if (m + hit.length > pairSlot.length) {
                    pairSlot = Arrays.copyOf(pairSlot, Math.max(pairSlot.length * 2, m + hit.length));
                    pairLine = Arrays.copyOf(pairLine, pairSlot.length);
                }
                for (int s : hit) {
                    pairSlot[m] = s;
                    pairLine[m++] = i;
                }
            }
            Node n = trie;
            for (int c = 0, len = code.length(); n != null && c < len; c++) {
                n = n.child(code.charAt(c));
                if (n == null || n.slots == NONE) continue;
                if (m + n.slots.length > pairSlot.length) {
                    pairSlot = Arrays.copyOf(pairSlot, Math.max(pairSlot.length * 2, m + n.slots.length));
                    pairLine = Arrays.copyOf(pairLine, pairSlot.length);
                }
                for (int s : n.slots) {
                    pairSlot[m] = s;
                    pairLine[m++] = i;
                }
            }
        }
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

    private static int[] ints(java.util.Collection<Integer> xs) {
        int[] out = new int[xs.size()];
        int i = 0;
        for (int x : xs) out[i++] = x;
        return out;
    }

    /** Frozen trie node: children sorted by character for binary search. */
    private static final class Node {
        final char[] keys;
        final Node[] kids;
        final int[] slots;   // slots of the rules with a pattern ending here; NONE if none

        Node(char[] keys, Node[] kids, int[] slots) {
            this.keys = keys;
            this.kids = kids;
            this.slots = slots;
        }

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i < 0 ? null : kids[i];
        }
    }

    private static final class Builder {
        final TreeMap<Character, Builder> kids = new TreeMap<>();
        final TreeSet<Integer> slots = new TreeSet<>();

        Node freeze() {
            char[] keys = new char[kids.size()];
            Node[] nodes = new Node[kids.size()];
            int i = 0;
            for (Map.Entry<Character, Builder> e : kids.entrySet()) {
                keys[i] = e.getKey();
                nodes[i++] = e.getValue().freeze();
            }
            return new Node(keys, nodes, slots.isEmpty() ? NONE : ints(slots));
        }
    }
}
