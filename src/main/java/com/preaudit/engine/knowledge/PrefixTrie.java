package com.preaudit.engine.knowledge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A frozen character trie of code prefixes (a knowledge set's {@code ABC*} patterns, the code gate's prefixes of every
 * gated set): walking a code from {@link #root} one character at a time meets, at each node that ends a prefix, that
 * prefix's value. Children are sorted by character for binary search; nothing is allocated by a walk. Comparison is
 * case-sensitive, prefixes have at least one character.
 *
 * @param <T> what a prefix leads to (rows, gate slots), built once per node from what was added under it
 */
public final class PrefixTrie<T> {

    private final Node<T> root;

    private PrefixTrie(Node<T> root) {
        this.root = root;
    }

    /** The node of the empty prefix: {@code root().child(code.charAt(0))} and so on down the code. */
    public Node<T> root() {
        return root;
    }

    /** One prefix: its value if a prefix ends here (null if none) and its children. */
    public static final class Node<T> {
        private final char[] keys;
        private final Node<T>[] kids;
        /** The value of the prefix ending here; null if no prefix ends here. */
        public final T value;

        private Node(char[] keys, Node<T>[] kids, T value) {
            this.keys = keys;
            this.kids = kids;
            this.value = value;
        }

        /** The node one character further down, or null when no prefix continues with {@code c}. */
        public Node<T> child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i < 0 ? null : kids[i];
        }
    }

    /** Collects what each prefix leads to, then {@link #freeze}s it. */
    public static final class Builder<E> {
        private final TreeMap<Character, Builder<E>> kids = new TreeMap<>();
        private final List<E> items = new ArrayList<>();
        private boolean empty = true;

        /** Files {@code item} under {@code prefix} (at least one character). */
        public Builder<E> add(String prefix, E item) {
            Builder<E> b = this;
            for (int i = 0; i < prefix.length(); i++) b = b.kids.computeIfAbsent(prefix.charAt(i), k -> new Builder<>());
            b.items.add(item);
            empty = false;
            return this;
        }

        /**
         * The frozen trie, each node's value made by {@code value} from the items filed under its prefix (in the order
         * added; nodes without items get null); null when nothing was added.
         */
        public <T> PrefixTrie<T> freeze(Function<List<E>, T> value) {
            return empty ? null : new PrefixTrie<>(node(value));
        }

        @SuppressWarnings("unchecked")
        private <T> Node<T> node(Function<List<E>, T> value) {
            char[] keys = new char[kids.size()];
            Node<T>[] nodes = (Node<T>[]) new Node<?>[kids.size()];
            int i = 0;
            for (Map.Entry<Character, Builder<E>> e : kids.entrySet()) {
                keys[i] = e.getKey();
                nodes[i++] = e.getValue().node(value);
            }
            return new Node<>(keys, nodes, items.isEmpty() ? null : value.apply(items));
        }
    }
}
