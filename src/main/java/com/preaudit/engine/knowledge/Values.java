package com.preaudit.engine.knowledge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions applied once when a catalog is compiled, never per audit. */
public final class Values {
    private Values() {}

    /**
     * A knowledge cell as MVEL sees it: blank → null; {@code -?\d+(\.\d+)?} → Integer when integral and in range,
     * else BigDecimal; anything else the trimmed text.
     */
    public static Object typed(String raw) {
        if (raw == null) return null;
        String v = raw.trim();
        if (v.isEmpty()) return null;
        if (!numeric(v)) return v;
        if (v.indexOf('.') < 0 && v.length() <= 11) {
            long l = Long.parseLong(v);
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) l;
        }
        return new BigDecimal(v);
    }

    static boolean numeric(String v) {
        int i = 0, n = v.length();
        if (v.charAt(0) == '-') i++;
        int digits = 0;
        while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') { i++; digits++; }
        if (digits == 0) return false;
        if (i == n) return true;
        if (v.charAt(i) != '.') return false;
        i++;
        int frac = 0;
        while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') { i++; frac++; }
        return frac > 0 && i == n;
    }

    /**
     * A rule parameter as MVEL sees it: Integer/BigDecimal for numbers (YAML gives Double/Long too), lists and maps
     * made immutable, recursively.
     */
    public static Object param(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer
            || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Long l) return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue()
            : BigDecimal.valueOf(l);
        if (v instanceof Short || v instanceof Byte) return ((Number) v).intValue();
        if (v instanceof BigInteger b) return new BigDecimal(b);
        if (v instanceof Double || v instanceof Float) return new BigDecimal(v.toString());
        if (v instanceof Number n) return new BigDecimal(n.toString());
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(param(o));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) out.put(String.valueOf(e.getKey()), param(e.getValue()));
            return Collections.unmodifiableMap(out);
        }
        return v.toString();
    }

    /** The {@code param} map of a rule: lenient like {@link KpValues} (a missing key reads null). */
    public static KpValues params(Map<String, Object> params) {
        if (params == null || params.isEmpty()) return new KpValues(Map.of(), new String[0], new Object[0]);
        Map<String, Integer> slots = new HashMap<>();
        String[] keys = new String[params.size()];
        Object[] values = new Object[params.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (e.getKey() == null || slots.containsKey(e.getKey())) continue;
            slots.put(e.getKey(), i);
            keys[i] = e.getKey();
            values[i] = param(e.getValue());
            i++;
        }
        if (i < keys.length) {
            keys = java.util.Arrays.copyOf(keys, i);
            values = java.util.Arrays.copyOf(values, i);
        }
        return new KpValues(Collections.unmodifiableMap(slots), keys, values);
    }
}
