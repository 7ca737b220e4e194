package com.preaudit.engine.knowledge;

/**
 * A knowledge row ready for audits: its {@code kp} map with typed values (built once per catalog version), its
 * codes, and its position in the set (the order in which rows are tried for a line).
 */
public final class IndexedRow {
    private final String kpId;
    private final String[] codes;
    private final KpValues kp;
    private final int ordinal;
    private final String basis;

    IndexedRow(String kpId, String[] codes, KpValues kp, int ordinal, String basis) {
        this.kpId = kpId;
        this.codes = codes;
        this.kp = kp;
        this.ordinal = ordinal;
        this.basis = basis;
    }

    public String kpId() {
        return kpId;
    }

    /** The row's codes; a code ending in '*' is a prefix pattern. Shared: do not modify. */
    public String[] codes() {
        return codes;
    }

    public KpValues kp() {
        return kp;
    }

    public int ordinal() {
        return ordinal;
    }

    /** {@code constraint_text} when present and non-blank, else null. */
    public String basis() {
        return basis;
    }

    /** Whether {@code code} is one of this row's codes or matches one of its prefix patterns. */
    public boolean matches(String code) {
        if (code == null) return false;
        for (String c : codes) {
            int last = c.length() - 1;
            if (c.charAt(last) == '*') {
                if (code.regionMatches(0, c, 0, last)) return true;
            } else if (c.equals(code)) {
                return true;
            }
        }
        return false;
    }
}
