package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Line;

/**
 * The item type used by {@code itemTypes} filters and the drug/herb functions: the line's own {@code itemType}, or,
 * when absent, the type its national code's shape implies (X…/Z… of 20+ characters = DRUG, T + 9 digits = HERB,
 * 15 digits = SERVICE, C + 19+ characters = MATERIAL). {@code line.itemType} in expressions stays the raw value.
 */
public final class ItemTypes {
    private ItemTypes() {}

    public static String effective(Line l) {
        String t = l.itemType();
        if (t != null && !t.isEmpty()) return t;
        String c = l.itemCode();
        if (c == null || c.isEmpty()) return null;
        char f = c.charAt(0);
        int n = c.length();
        if ((f == 'X' || f == 'Z') && n >= 20) return "DRUG";
        if (f == 'T' && n == 10 && digits(c, 1)) return "HERB";
        if (n == 15 && digits(c, 0)) return "SERVICE";
        if (f == 'C' && n >= 20) return "MATERIAL";
        return null;
    }

    /**
     * The type as a bit for the item-type gate: DRUG, HERB, SERVICE and MATERIAL each their own, every other non-null
     * type one shared bit (so a rule listing an unusual type still runs on a request with any unusual type), null 0.
     */
    public static int bit(String type) {
        if (type == null) return 0;
        return switch (type) {
            case "DRUG" -> 1;
            case "HERB" -> 2;
            case "SERVICE" -> 4;
            case "MATERIAL" -> 8;
            default -> 16;
        };
    }

    private static boolean digits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') return false;
        }
        return true;
    }
}
