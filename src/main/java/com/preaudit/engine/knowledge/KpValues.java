package com.preaudit.engine.knowledge;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The {@code kp} (or {@code param}) map seen by MVEL: fixed keys, typed values, immutable.
 *
 * <p>It answers {@code containsKey} with true for every string: mvel2 reads {@code kp.x} as a map entry only when the
 * map contains the key and fails with "could not access" otherwise, but a rule written against a column that a
 * particular knowledge set lacks (e.g. {@code kp.diagnosis_codes} on the national drug-indication set) must read
 * null, not fail. Values share one slot table per knowledge set, so a row costs one {@code Object[]}.
 */
public final class KpValues extends AbstractMap<String, Object> {
    private final Map<String, Integer> slots;   // shared by all rows of a set; never mutated after build
    private final String[] keys;                // shared, slot order
    private final Object[] values;

    public KpValues(Map<String, Integer> slots, String[] keys, Object[] values) {
        this.slots = slots;
        this.keys = keys;
        this.values = values;
    }

    @Override
    public Object get(Object key) {
        Integer i = slots.get(key);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= keys.length) throw new NoSuchElementException();
                        Entry<String, Object> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("knowledge values are read-only");
    }
}
