package com.preaudit.audit;

import com.preaudit.engine.model.Line;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A node's copy of one patient's live stored lines at one {@code charge_version}, in the order of
 * {@link ChargeStore#history} (newest first). Immutable; valid for an audit exactly when the
 * version the audit reads from the store is this one. {@code lines} is null when the patient has
 * more lines than a copy holds: such a patient's audits use the store's own query.
 */
record PatientHistory(long version, Line[] lines) {

    int weight() {
        return 1 + (lines == null ? 0 : lines.length);
    }

    /**
     * The lines {@link ChargeStore#history} would read for {@code q}, in the same order: the same
     * items (code prefixes) within the look-back window, every line on an audited day, every line of
     * the encounter, the first and last line of every encounter in the window; at most {@code q.limit()}. The SQL's prefix range [p, p+1) in byte order is
     * exactly "starts with p", and a day range [d, d+1) is "on date d".
     */
    List<Line> select(ChargeStore.HistoryQuery q) {
        List<Line> out = new ArrayList<>();
        String[] prefixes = q.codePrefixes().toArray(String[]::new);
        String encounter = q.encounterId();
        boolean[] ends = encounterEnds(q);
        for (int i = 0; i < lines.length; i++) {
            Line l = lines[i];
            if (out.size() == q.limit()) {
                break;
            }
            if ((encounter != null && encounter.equals(l.encounterId()))
                    || q.days().contains(l.orderedAt().toLocalDate())
                    || ends[i]
                    || (inWindow(l.orderedAt(), q) && startsWithAny(l.itemCode(), prefixes))) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Marks the first and the last line of each encounter within the window, as the store's two DISTINCT ON branches
     * pick them: the lines are newest first with ties by line id ascending, so an encounter's first line in this
     * order is its latest (smallest id among equal times) and its last line here is its earliest (largest id).
     */
    private boolean[] encounterEnds(ChargeStore.HistoryQuery q) {
        boolean[] ends = new boolean[lines.length];
        HashMap<String, Integer> last = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            Line l = lines[i];
            if (l.encounterId() == null || !inWindow(l.orderedAt(), q)) {
                continue;
            }
            if (last.put(l.encounterId(), i) == null) {
                ends[i] = true;
            }
        }
        for (int i : last.values()) {
            ends[i] = true;
        }
        return ends;
    }

    private static boolean inWindow(LocalDateTime at, ChargeStore.HistoryQuery q) {
        return !at.isBefore(q.windowStart()) && at.isBefore(q.windowEnd());
    }

    private static boolean startsWithAny(String code, String[] prefixes) {
        for (String p : prefixes) {
            if (code.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
