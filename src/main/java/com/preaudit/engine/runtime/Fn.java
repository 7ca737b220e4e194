package com.preaudit.engine.runtime;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@code fn}: the function library of CONTRACT §5, bound to one audit. Every public method is callable from rule
 * expressions (and nothing else is public), every one is null-safe: a null argument gives false / null / zero as
 * documented rather than an exception, except where the rule cannot be decided (an age without a birth date throws
 * {@link MissingDataException}, which skips the rule) or the expression is wrong (a line function called without
 * a line, an unknown window: {@link IllegalArgumentException}, reported as a rule failure).
 *
 * <p>Definitions used below. <b>Matching lines</b>: history ∪ request lines (de-duplicated by line id, request
 * copy wins) whose item code is one of the codes (or matches a prefix pattern) of the current {@code kp} row when the
 * rule has a knowledge set, else equal to the line's item code. A line's <b>time</b> is {@code orderedAt}, or the
 * audit time when null; its <b>date</b> is that time's date; it <b>covers</b> {@code days} days from its date (1 when
 * null). <b>Before</b>: earlier time, or same time and earlier in input (history lines precede request lines).
 * Functions taking {@code line} accept the {@code line} variable or an element of {@code lines}/{@code history}.
 */
public final class Fn {
    private final AuditContext ctx;

    Fn(AuditContext ctx) {
        this.ctx = ctx;
    }

    // ------------------------------------------------------------------------------------------ codes

    /**
     * True when any encounter diagnosis code matches any {@code |}-separated pattern ({@code M10}, {@code M10*},
     * {@code O00-O9A}). False for null patterns. An encounter without diagnoses cannot answer either way: throws
     * {@link MissingDataException} ("no diagnosis on the encounter"), so the rule is skipped, not fired.
     */
    public boolean hasDiagnosis(Object patterns) {
        return diagnosisMatching(patterns) != null;
    }

    /** The first encounter diagnosis code (in encounter order) matching the patterns, or null; see {@link #hasDiagnosis}. */
    public String diagnosisMatching(Object patterns) {
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return null;
        if (ctx.diagnoses.isEmpty()) throw new MissingDataException("no diagnosis on the encounter");
        for (DiagnosisView d : ctx.diagnoses) if (p.matches(d.getCode())) return d.getCode();
        return null;
    }

    /** True when {@code code} matches any pattern: plain or {@code *} = prefix, {@code A00-B99} = range on 3 chars. */
    public boolean codeMatches(Object code, Object patterns) {
        CodePatterns p = ctx.patterns(patterns);
        return p != null && code != null && p.matches(code.toString());
    }

    /** True when any element of {@code codes} (a list or array; elements by their text) matches the patterns. */
    public boolean anyMatches(Object codes, Object patterns) {
        CodePatterns p = ctx.patterns(patterns);
        if (p == null || codes == null) return false;
        if (codes instanceof Collection<?> c) {
            for (Object o : c) if (o != null && p.matches(o.toString())) return true;
        } else if (codes instanceof Object[] a) {
            for (Object o : a) if (o != null && p.matches(o.toString())) return true;
        } else {
            return p.matches(codes.toString());
        }
        return false;
    }

    /** True when {@code value}'s text equals one of the {@code |}-separated entries (entries trimmed). */
    public boolean inList(Object pipeList, Object value) {
        if (pipeList == null || value == null) return false;
        String list = pipeList.toString(), v = value.toString();
        int from = 0, n = list.length();
        while (from <= n) {
            int bar = list.indexOf('|', from);
            if (bar < 0) bar = n;
            int s = from, e = bar;
            while (s < e && list.charAt(s) == ' ') s++;
            while (e > s && list.charAt(e - 1) == ' ') e--;
            if (e - s == v.length() && list.regionMatches(s, v, 0, v.length())) return true;
            from = bar + 1;
        }
        return false;
    }

    /** Characters 2–6 of a national drug code (its ATC level-4 class, e.g. "G02BA"), or null if shorter than 6. */
    public String atc(Object code) {
        return code == null ? null : atcOf(code.toString());
    }

    /** The first 10 characters of a drug code (type + class + generic-name id), or null if shorter than 10. */
    public String generic(Object code) {
        return code == null ? null : genericOf(code.toString());
    }

    static String atcOf(String code) {
        return code == null || code.length() < 6 ? null : code.substring(1, 6);
    }

    static String genericOf(String code) {
        return code == null || code.length() < 10 ? null : code.substring(0, 10);
    }

    // ------------------------------------------------------------------------------------------ age

    /** Age in whole years at the line's date (at the audit date when {@code line} is null). */
    public Integer ageYears(Object line) {
        return Period.between(ctx.patient.birthDate(), dateOf(line)).getYears();
    }

    /** Age in days at the line's date (at the audit date when {@code line} is null). */
    public Integer ageDays(Object line) {
        return (int) ChronoUnit.DAYS.between(ctx.patient.birthDate(), dateOf(line));
    }

    private LocalDate dateOf(Object line) {
        if (line == null) return ctx.date;
        return line(line, "age").date;
    }

    // ------------------------------------------------------------------------------------------ history

    /**
     * Sum of the quantities of matching lines in the calendar window containing the line's time: {@code DAY},
     * {@code HOUR} (same date and hour), {@code ENCOUNTER} (lines of the current encounter), {@code MONTH},
     * {@code QUARTER}, {@code YEAR} or {@code INSURANCE_YEAR} (calendar year). Null quantities count 0.
     */
    public BigDecimal quantityIn(Object line, Object window) {
        LineView l = line(line, "quantityIn");
        Window w = Window.of(window);
        BigDecimal sum = BigDecimal.ZERO;
        for (LineView x : matching(l)) {
            if (x.getQuantity() != null && w.contains(x, l)) sum = sum.add(x.getQuantity());
        }
        return sum;
    }

    /** The calendar windows of {@link #quantityIn}, each the test "x falls in l's window". */
    private enum Window {
        DAY {
            boolean contains(LineView x, LineView l) {
                return x.epochDay == l.epochDay;
            }
        },
        HOUR {
            boolean contains(LineView x, LineView l) {
                return Math.floorDiv(x.epochSecond, 3600) == Math.floorDiv(l.epochSecond, 3600);
            }
        },
        ENCOUNTER {
            boolean contains(LineView x, LineView l) {
                return x.inEncounter;
            }
        },
        MONTH {
            boolean contains(LineView x, LineView l) {
                return x.date.getYear() == l.date.getYear() && x.date.getMonthValue() == l.date.getMonthValue();
            }
        },
        QUARTER {
            boolean contains(LineView x, LineView l) {
                return x.date.getYear() == l.date.getYear() && (x.date.getMonthValue() - 1) / 3 == (l.date.getMonthValue() - 1) / 3;
            }
        },
        /** Also INSURANCE_YEAR: the insurance year is the calendar year. */
        YEAR {
            boolean contains(LineView x, LineView l) {
                return x.date.getYear() == l.date.getYear();
            }
        };

        abstract boolean contains(LineView x, LineView l);

        static Window of(Object w) {
            String s = w == null ? "" : w.toString();
            if (s.equals("INSURANCE_YEAR")) return YEAR;
            for (Window v : VALUES) {
                if (v.name().equals(s)) return v;
            }
            throw new IllegalArgumentException("unknown window '" + s + "' (DAY, HOUR, ENCOUNTER, MONTH, QUARTER, YEAR, INSURANCE_YEAR)");
        }

        private static final Window[] VALUES = values();
    }

    /** Sum of the quantities of matching lines timed in (line time − n days, line time]. */
    public BigDecimal quantityLastDays(Object line, Object n) {
        LineView l = line(line, "quantityLastDays");
        long days = number(n, "quantityLastDays");
        long lower = l.epochSecond - days * 86_400L;
        BigDecimal sum = BigDecimal.ZERO;
        for (LineView x : matching(l)) {
            if (x.getQuantity() != null && x.epochSecond > lower && x.epochSecond <= l.epochSecond) {
                sum = sum.add(x.getQuantity());
            }
        }
        return sum;
    }

    /** Number of distinct calendar days covered by the matching lines (each covers {@code days} days). */
    public int distinctDays(Object line) {
        LineView[] m = matching(line(line, "distinctDays"));
        if (m.length == 0) return 0;
        // interval union over (start, span) packed in one long, so the sort needs no boxing
        long[] packed = new long[m.length];
        for (int i = 0; i < m.length; i++) packed[i] = (m[i].epochDay << 20) | Math.min(m[i].span, 0xFFFFF);
        Arrays.sort(packed);
        long total = 0, curStart = Long.MIN_VALUE, curEnd = Long.MIN_VALUE;
        for (long p : packed) {
            long s = p >> 20, e = s + (p & 0xFFFFF) - 1;
            if (s > curEnd) {
                if (curEnd != Long.MIN_VALUE) total += curEnd - curStart + 1;
                curStart = s;
                curEnd = e;
            } else if (e > curEnd) {
                curEnd = e;
            }
        }
        total += curEnd - curStart + 1;
        return (int) total;
    }

    /** Date of the earliest matching line before this one (another line id), or null. */
    public LocalDate firstUseDate(Object line) {
        LineView l = line(line, "firstUseDate");
        LineView best = null;
        for (LineView x : matching(l)) {
            if (other(x, l) && x.before(l) && (best == null || x.before(best))) best = x;
        }
        return best == null ? null : best.date;
    }

    /** Date of the latest matching line before this one (another line id), or null. */
    public LocalDate lastUseDate(Object line) {
        LineView best = latestBefore(line(line, "lastUseDate"));
        return best == null ? null : best.date;
    }

    /** Days from the earliest matching line (this one included) to this line's date; 0 when this is the first. */
    public int daysSinceFirstUse(Object line) {
        LineView l = line(line, "daysSinceFirstUse");
        long first = l.epochDay;
        for (LineView x : matching(l)) {
            if (other(x, l) && x.before(l) && x.epochDay < first) first = x.epochDay;
        }
        return (int) (l.epochDay - first);
    }

    /** Days from the latest earlier matching line to this line; -1 when there is none. */
    public int daysSinceLastUse(Object line) {
        LineView l = line(line, "daysSinceLastUse");
        LineView best = latestBefore(l);
        return best == null ? -1 : (int) (l.epochDay - best.epochDay);
    }

    private LineView latestBefore(LineView l) {
        LineView best = null;
        for (LineView x : matching(l)) {
            if (other(x, l) && x.before(l) && (best == null || best.before(x))) best = x;
        }
        return best;
    }

    /** The other lines (history ∪ request) dated the same day as this one. */
    public List<LineView> sameDayLines(Object line) {
        LineView l = line(line, "sameDayLines");
        LineView[] day = ctx.byDaySorted();
        int[] r = ctx.dayRange(l.epochDay);
        ArrayList<LineView> out = new ArrayList<>(r[1] - r[0]);
        for (int i = r[0]; i < r[1]; i++) if (other(day[i], l)) out.add(day[i]);
        return Collections.unmodifiableList(out);
    }

    /** True when another line dated the same day has an item code matching the patterns. */
    public boolean sameDayHasCode(Object line, Object patterns) {
        LineView l = line(line, "sameDayHasCode");
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return false;
        LineView[] day = ctx.byDaySorted();
        int[] r = ctx.dayRange(l.epochDay);
        for (int i = r[0]; i < r[1]; i++) if (other(day[i], l) && p.matches(day[i].getItemCode())) return true;
        return false;
    }

    /**
     * True when another code of the current {@code kp} row was charged the same day earlier: on a history line
     * (already charged, whatever its time), or on a request line before this one. Needs a knowledge set.
     */
    public boolean pairChargedEarlierSameDay(Object line) {
        LineView l = line(line, "pairChargedEarlierSameDay");
        IndexedRow row = requireRow("pairChargedEarlierSameDay");
        String own = l.getItemCode();
        // a code may sit in dozens of pair rows, each evaluated: probe the partner codes, do not scan the day
        for (String c : row.codes()) {
            if (c.endsWith("*")) return pairBySameDayScan(l, row);
            if (c.equals(own)) continue;
            for (LineView x : ctx.withCode(c)) {
                if (x.epochDay == l.epochDay && other(x, l) && (!x.isRequest() || x.before(l))) return true;
            }
        }
        return false;
    }

    private boolean pairBySameDayScan(LineView l, IndexedRow row) {
        LineView[] day = ctx.byDaySorted();
        int[] r = ctx.dayRange(l.epochDay);
        for (int i = r[0]; i < r[1]; i++) {
            LineView x = day[i];
            if (!other(x, l) || Objects.equals(x.getItemCode(), l.getItemCode()) || !row.matches(x.getItemCode())) {
                continue;
            }
            if (!x.isRequest() || x.before(l)) return true;
        }
        return false;
    }

    /**
     * Number of other lines dated the same day and earlier (history lines, or request lines before this one) whose
     * matching row in this rule's knowledge set has the same value in {@code column} as the current row.
     */
    public int sameGroupEarlierSameDay(Object line, Object column) {
        LineView l = line(line, "sameGroupEarlierSameDay");
        IndexedRow row = requireRow("sameGroupEarlierSameDay");
        if (column == null) return 0;
        String col = column.toString();
        Object v = row.kp().get(col);
        if (v == null) return 0;
        KnowledgeIndex idx = ctx.index;
        LineView[] day = ctx.byDaySorted();
        int[] r = ctx.dayRange(l.epochDay);
        int n = 0;
        for (int i = r[0]; i < r[1]; i++) {
            LineView x = day[i];
            if (!other(x, l) || x.isRequest() && !x.before(l)) continue;
            for (IndexedRow xr : idx.lookup(x.getItemCode())) {
                if (v.equals(xr.kp().get(col))) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** True when another drug line (history ∪ request) of the same generic overlaps this line in time. */
    public boolean sameGenericOverlap(Object line) {
        LineView l = line(line, "sameGenericOverlap");
        String g = l.generic();
        if (g == null) return false;
        for (LineView x : ctx.drugsOfGeneric(g)) if (other(x, l) && overlap(x, l)) return true;
        return false;
    }

    /** True when another drug line of the same ATC class but a different generic overlaps this line in time. */
    public boolean sameAtcOverlap(Object line) {
        LineView l = line(line, "sameAtcOverlap");
        String a = l.atc(), g = l.generic();
        if (a == null) return false;
        for (LineView x : ctx.drugsOfAtc(a)) {
            if (other(x, l) && !Objects.equals(x.generic(), g) && overlap(x, l)) return true;
        }
        return false;
    }

    /** True when the history (not the request) has a drug of the same ATC class with another generic. */
    public boolean historyHasOtherAtcDrug(Object line) {
        LineView l = line(line, "historyHasOtherAtcDrug");
        String a = l.atc(), g = l.generic();
        if (a == null) return false;
        for (LineView x : ctx.drugsOfAtc(a)) {
            if (!x.isRequest() && !Objects.equals(x.generic(), g)) return true;
        }
        return false;
    }

    private static boolean overlap(LineView x, LineView l) {
        return x.epochDay <= l.epochDay + l.span - 1 && l.epochDay <= x.epochDay + x.span - 1;
    }

    // ------------------------------------------------------------------------------------------ prescription

    /** Request lines with the same (non-blank) prescriptionNo, this one included; just this line when it has none. */
    public List<LineView> prescriptionLines(Object line) {
        return Collections.unmodifiableList(Arrays.asList(prescription(line(line, "prescriptionLines"))));
    }

    /** The distinct item codes of the DRUG lines of this line's prescription, in request order. */
    public List<String> drugsInPrescription(Object line) {
        return codesInPrescription(line(line, "drugsInPrescription"), "DRUG");
    }

    private List<String> codesInPrescription(LineView l, String type) {
        LineView[] p = prescription(l);
        ArrayList<String> out = new ArrayList<>(p.length);
        for (LineView x : p) {
            String c = x.getItemCode();
            if (c != null && type.equals(x.type) && !out.contains(c)) out.add(c);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * True when the line's prescription has at least one HERB line and every HERB line's code matches this rule's
     * knowledge set. Needs a knowledge set.
     */
    public boolean allHerbsOfPrescriptionInSet(Object line) {
        LineView l = line(line, "allHerbsOfPrescriptionInSet");
        KnowledgeIndex idx = ctx.index;
        if (idx == null) throw new IllegalArgumentException("fn.allHerbsOfPrescriptionInSet needs a knowledge set");
        int herbs = 0;
        for (LineView x : prescription(l)) {
            if (!"HERB".equals(x.type)) continue;
            herbs++;
            if (!idx.contains(x.getItemCode())) return false;
        }
        return herbs > 0;
    }

    private LineView[] prescription(LineView l) {
        String no = l.getPrescriptionNo();
        LineView[] p = no == null || no.isBlank() ? null : ctx.prescription(no);
        return p == null ? new LineView[] {l} : p;
    }

    // ------------------------------------------------------------------------------------------ clinical data

    /**
     * {@code value} itself; throws {@link MissingDataException} ("{@code name} missing") when it is null, so a rule
     * that cannot be decided without it is skipped and says why.
     */
    public Object need(Object value, Object name) {
        if (value == null) throw new MissingDataException((name == null ? "data" : name.toString()) + " missing");
        return value;
    }

    /** The line's dose per administration expressed in {@code unit}; skips the rule when the units do not convert. */
    public BigDecimal doseIn(Object line, Object unit) {
        LineView l = line(line, "doseIn");
        return converted(l.getDose(), l.getDoseUnit(), unit);
    }

    /** The line's dose per day (dose × administrations per day) expressed in {@code unit}. */
    public BigDecimal dailyDoseIn(Object line, Object unit) {
        LineView l = line(line, "dailyDoseIn");
        return converted(l.getDailyDose(), l.getDoseUnit(), unit);
    }

    private static BigDecimal converted(BigDecimal v, String from, Object unit) {
        if (unit == null) throw new IllegalArgumentException("a dose unit to compare in is required");
        BigDecimal c = Dosing.convert(v, from, unit.toString());
        if (c == null) throw new MissingDataException("line.doseUnit '" + from + "' does not convert to '" + unit + "'");
        return c;
    }

    /**
     * The item code of another drug line (history ∪ request) matching the patterns whose days of use overlap this
     * line's, or null: two drugs taken in the same period (interactions).
     */
    public String overlappingCode(Object line, Object patterns) {
        LineView l = line(line, "overlappingCode");
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return null;
        for (LineView x : ctx.all()) {
            if (other(x, l) && overlap(x, l) && x.getItemCode() != null && p.matches(x.getItemCode())) {
                return x.getItemCode();
            }
        }
        return null;
    }

    /**
     * The item code of another line of the same prescription matching the patterns, or null. A line without a
     * prescription number cannot answer: the rule is skipped ("line.prescriptionNo missing").
     */
    public String prescriptionCodeMatching(Object line, Object patterns) {
        LineView l = line(line, "prescriptionCodeMatching");
        String no = l.getPrescriptionNo();
        if (no == null || no.isBlank()) throw new MissingDataException("line.prescriptionNo missing");
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return null;
        for (LineView x : prescription(l)) {
            if (other(x, l) && x.getItemCode() != null && p.matches(x.getItemCode())) return x.getItemCode();
        }
        return null;
    }

    /**
     * The item name of another line of the same prescription whose name contains one of the {@code |}-separated
     * names, or null. For herbs (中药饮片), whose names are standard (药典) while codes are provincial. Skips without a
     * prescription number, like {@link #prescriptionCodeMatching}.
     */
    public String prescriptionNameMatching(Object line, Object names) {
        LineView l = line(line, "prescriptionNameMatching");
        String no = l.getPrescriptionNo();
        if (no == null || no.isBlank()) throw new MissingDataException("line.prescriptionNo missing");
        if (names == null) return null;
        String[] ns = names.toString().split("\\|");
        for (LineView x : prescription(l)) {
            String n = x.getItemName();
            if (!other(x, l) || n == null) continue;
            for (String want : ns) {
                String w = want.trim();
                if (!w.isEmpty() && n.contains(w)) return n;
            }
        }
        return null;
    }

    /** The distinct item codes of the HERB lines of this line's prescription, in request order. */
    public List<String> herbsInPrescription(Object line) {
        return codesInPrescription(line(line, "herbsInPrescription"), "HERB");
    }

    /** True when an encounter procedure code matches the patterns; skips the rule when procedures were not sent. */
    public boolean hasProcedure(Object patterns) {
        return procedureMatching(patterns) != null;
    }

    /** The first encounter procedure code matching the patterns, or null (see {@link #hasProcedure}). */
    public String procedureMatching(Object patterns) {
        List<com.preaudit.engine.model.Procedure> ps = ctx.encounter.procedures();
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return null;
        for (com.preaudit.engine.model.Procedure x : ps) if (p.matches(x.code())) return x.code();
        return null;
    }

    /**
     * Whole hours from the latest encounter procedure matching the patterns (all procedures when null) done at or
     * before the line's time, to the line's time; null when there is none. A matching procedure without its time
     * cannot answer: the rule is skipped ("encounter.procedures[].at missing").
     */
    public Long hoursSinceProcedure(Object line, Object patterns) {
        LineView l = line(line, "hoursSinceProcedure");
        CodePatterns p = patterns == null ? null : ctx.patterns(patterns);
        LocalDateTime best = null;
        for (com.preaudit.engine.model.Procedure x : ctx.encounter.procedures()) {
            if (p != null && !p.matches(x.code())) continue;
            if (x.at() == null) throw new MissingDataException("encounter.procedures[].at missing");
            if (!x.at().isAfter(l.time) && (best == null || x.at().isAfter(best))) best = x.at();
        }
        return best == null ? null : ChronoUnit.HOURS.between(best, l.time);
    }

    /**
     * The first encounter procedure code whose row in this rule's knowledge set has a {@code gender} (M/F) other
     * than the patient's (M/F; U never answers), or null. Needs a knowledge set.
     */
    public String procedureOfOtherGender() {
        KnowledgeIndex idx = requireIndex("procedureOfOtherGender");
        String g = ctx.patient.getGender();
        List<com.preaudit.engine.model.Procedure> ps = ctx.encounter.procedures();
        if (!"M".equals(g) && !"F".equals(g)) return null;
        for (com.preaudit.engine.model.Procedure x : ps) {
            for (IndexedRow r : idx.lookup(x.code())) {
                Object rg = r.kp().get("gender");
                if (rg != null && !g.equals(rg.toString())) return x.code();
            }
        }
        return null;
    }

    /**
     * The first encounter procedure code whose row in this rule's knowledge set lists {@code diagnosis_codes} none of
     * which matches an encounter diagnosis, or null. Needs a knowledge set; skips without procedures or diagnoses.
     */
    public String procedureWithoutDiagnosis() {
        KnowledgeIndex idx = requireIndex("procedureWithoutDiagnosis");
        for (com.preaudit.engine.model.Procedure x : ctx.encounter.procedures()) {
            for (IndexedRow r : idx.lookup(x.code())) {
                Object dx = r.kp().get("diagnosis_codes");
                if (dx != null && !hasDiagnosis(dx)) return x.code();
            }
        }
        return null;
    }

    private KnowledgeIndex requireIndex(String fn) {
        KnowledgeIndex idx = ctx.index;
        if (idx == null) throw new IllegalArgumentException("fn." + fn + " needs a knowledge set");
        return idx;
    }

    // ------------------------------------------------------------------------------------------ amounts

    /** Sum of amounts over the current encounter: its history lines plus the request lines. */
    public BigDecimal encounterTotal() {
        return ctx.encounterTotal();
    }

    /** Like {@link #encounterTotal()}, restricted to the {@code |}-separated item types (e.g. "DRUG|HERB"). */
    public BigDecimal encounterTotalOfTypes(Object types) {
        return types == null ? BigDecimal.ZERO : ctx.encounterTotalOfTypes(types.toString());
    }

    /** Sum of amounts of the current encounter's lines converted to self-pay. */
    public BigDecimal encounterSelfPayTotal() {
        return ctx.encounterSelfPay();
    }

    /** Sum of the request lines' amounts (null amounts count 0). */
    public BigDecimal requestTotal() {
        return ctx.requestTotal();
    }

    // ------------------------------------------------------------------------------------------ dates, numbers

    /** The line's date (orderedAt's date, or the audit date); null for null. */
    public LocalDate lineDate(Object line) {
        return line == null ? null : line(line, "lineDate").date;
    }

    /** Days from {@code a} to {@code b} (LocalDate, LocalDateTime or a line; by calendar date); null if either is null. */
    public Integer daysBetween(Object a, Object b) {
        LocalDate x = toDate(a), y = toDate(b);
        return x == null || y == null ? null : (int) ChronoUnit.DAYS.between(x, y);
    }

    /** True when {@code a} is strictly before {@code b}; false when either is null. Date-times compare exactly. */
    public boolean isBefore(Object a, Object b) {
        int c = compare(a, b);
        return c != Integer.MIN_VALUE && c < 0;
    }

    /** True when {@code a} is strictly after {@code b}; false when either is null. Date-times compare exactly. */
    public boolean isAfter(Object a, Object b) {
        int c = compare(a, b);
        return c != Integer.MIN_VALUE && c > 0;
    }

    /** BigDecimal of a number or numeric text; null for null or non-numeric text. */
    public BigDecimal dec(Object v) {
        if (v == null) return null;
        if (v instanceof BigDecimal d) return d;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private int compare(Object a, Object b) {
        if (a == null || b == null) return Integer.MIN_VALUE;
        if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) return x.compareTo(y);
        LocalDate x = toDate(a), y = toDate(b);
        if (x == null || y == null) return Integer.MIN_VALUE;
        return x.compareTo(y);
    }

    private static LocalDate toDate(Object o) {
        if (o == null) return null;
        if (o instanceof LocalDate d) return d;
        if (o instanceof LocalDateTime t) return t.toLocalDate();
        if (o instanceof LineView l) return l.date;
        if (o instanceof CharSequence s) {
            try {
                String v = s.toString().trim();
                return v.length() > 10 ? LocalDateTime.parse(v).toLocalDate() : LocalDate.parse(v);
            } catch (RuntimeException e) {
                return null;
            }
        }
        throw new IllegalArgumentException("not a date: " + o.getClass().getSimpleName());
    }

    // ------------------------------------------------------------------------------------------ round two: policy

    /**
     * Sum of the amounts of matching lines in the window containing the line's time (windows as {@link #quantityIn});
     * null amounts count 0, lines converted to self-pay are not billed to the fund and do not count.
     */
    public BigDecimal amountIn(Object line, Object window) {
        LineView l = line(line, "amountIn");
        Window w = Window.of(window);
        BigDecimal sum = BigDecimal.ZERO;
        for (LineView x : matching(l)) {
            if (x.getAmount() != null && !Boolean.TRUE.equals(x.getSelfPay()) && w.contains(x, l)) {
                sum = sum.add(x.getAmount());
            }
        }
        return sum;
    }

    /**
     * The first encounter diagnosis code that is not shaped like an ICD-10 code of the national insurance edition
     * (医保版: a letter, two digits, then optionally a dot and 1–4 letters/digits, e.g. {@code K35.800}, {@code R54.x00}),
     * or null when all are well-formed. Throws {@link MissingDataException} when the encounter has no diagnosis.
     */
    public String malformedDiagnosis() {
        if (ctx.diagnoses.isEmpty()) throw new MissingDataException("no diagnosis on the encounter");
        for (DiagnosisView d : ctx.diagnoses) {
            if (!icd10Shaped(d.getCode())) return d.getCode() == null ? "（空）" : d.getCode();
        }
        return null;
    }

    /**
     * The value of {@code column} in this rule's knowledge row for the encounter's department (seed-003 quotas per
     * department and insurance type), else {@code fallback} (e.g. the hospital-wide {@code param}). The set's
     * {@code item_codes} are department codes ({@code A03} exact, {@code A03*} the department and its sub-departments);
     * optional columns {@code insurance_type} and {@code scenario} narrow a row (blank = any). Of the rows that apply,
     * the most specific wins: the longest department match (an exact code beats a pattern of the same length), then
     * a row naming the insurance type, then one naming the scenario. Without a department code no row applies.
     * The choice is made once per audit and rule (ORDER scope with a knowledge set).
     */
    public Object quota(Object column, Object fallback) {
        KnowledgeIndex idx = ctx.index;
        if (idx == null) throw new IllegalArgumentException("fn.quota needs a knowledge set");
        if (idx != quotaIndex) {
            quotaIndex = idx;
            quotaRow = bestQuotaRow(idx);
        }
        Object v = quotaRow == null || column == null ? null : quotaRow.kp().get(column.toString());
        return v != null ? v : fallback;
    }

    private KnowledgeIndex quotaIndex;
    private IndexedRow quotaRow;

    private IndexedRow bestQuotaRow(KnowledgeIndex idx) {
        String dept = ctx.encounter.getDepartmentCode();
        if (dept == null || dept.isBlank()) return null;
        String ins = ctx.patient.getInsuranceType();
        String scenario = ctx.in.scenario() == null ? null : ctx.in.scenario().name();
        IndexedRow best = null;
        int bestScore = -1;
        for (IndexedRow r : idx.lookup(dept)) {
            Object ri = r.kp().get("insurance_type"), rs = r.kp().get("scenario");
            if (ri != null && !ri.toString().equals(ins) || rs != null && !rs.toString().equals(scenario)) continue;
            int len = 0;
            for (String c : r.codes()) {
                int last = c.length() - 1;
                int l = c.charAt(last) == '*' ? (dept.regionMatches(0, c, 0, last) ? 2 * last : -1) : (c.equals(dept) ? 2 * c.length() + 1 : -1);
                len = Math.max(len, l);
            }
            int score = len * 4 + (ri != null ? 2 : 0) + (rs != null ? 1 : 0);
            if (score > bestScore) {
                bestScore = score;
                best = r;
            }
        }
        return best;
    }

    /**
     * The first encounter procedure code that is not shaped like an ICD-9-CM-3 code of the national insurance edition
     * (医保版手术操作分类与代码: two digits, optionally a dot, 1–4 digits and an {@code x}+3-digit extension, e.g.
     * {@code 47.01}, {@code 36.0601}, {@code 81.5100x001}), or null. Skips the rule when the request sent no procedures;
     * an empty list has nothing malformed.
     */
    public String malformedProcedure() {
        for (com.preaudit.engine.model.Procedure p : ctx.encounter.procedures()) {
            if (!icd9cm3Shaped(p.code())) return p.code();
        }
        return null;
    }

    static boolean icd9cm3Shaped(String c) {
        if (c == null) return false;
        int n = c.length();
        if (n < 2 || !digit(c.charAt(0)) || !digit(c.charAt(1))) return false;
        if (n == 2) return true;
        if (c.charAt(2) != '.') return false;
        int i = 3, d = 0;
        while (i < n && digit(c.charAt(i))) {
            i++;
            d++;
        }
        if (d < 1 || d > 4) return false;
        if (i == n) return true;
        if (c.charAt(i) != 'x' || n - i != 4) return false;
        return digit(c.charAt(i + 1)) && digit(c.charAt(i + 2)) && digit(c.charAt(i + 3));
    }

    // encounter-level history facts (分解住院, 频繁门诊/住院, 无指征住院): the patient's other encounters as their history
    // lines show them — each distinct encounterId other than the current encounter's, from its first to its last line.
    // An encounter whose lines span two or more calendar days is a STAY (住院), a single-day one a VISIT (门诊/急诊);
    // the charge store does not record the care setting of past encounters, so this is how they are told apart.

    private long[][] otherEncounters;   // {first epoch day, last epoch day} per other encounter, once per audit

    private long[][] otherEncounters() {
        long[][] o = otherEncounters;
        if (o == null) {
            HashMap<String, long[]> m = new HashMap<>();
            String current = ctx.encounter.getId();
            for (LineView x : ctx.history()) {
                String e = x.getEncounterId();
                if (e == null || e.equals(current)) continue;
                long[] span = m.get(e);
                if (span == null) {
                    m.put(e, new long[] {x.epochDay, x.epochDay});
                } else {
                    if (x.epochDay < span[0]) span[0] = x.epochDay;
                    if (x.epochDay > span[1]) span[1] = x.epochDay;
                }
            }
            otherEncounters = o = m.values().toArray(new long[0][]);
        }
        return o;
    }

    /**
     * Number of the patient's other encounters (see above) with a line in the last {@code days} days up to the audit
     * date: {@code kind} STAY (lines on two or more days), VISIT (one day) or ANY.
     */
    public int otherEncounterCount(Object days, Object kind) {
        long n = number(days, "otherEncounterCount");
        String k = kind == null ? "ANY" : kind.toString();
        if (!k.equals("ANY") && !k.equals("STAY") && !k.equals("VISIT")) {
            throw new IllegalArgumentException("fn.otherEncounterCount: unknown kind '" + k + "' (STAY, VISIT, ANY)");
        }
        long today = ctx.date.toEpochDay(), from = today - n;
        int count = 0;
        for (long[] e : otherEncounters()) {
            if (e[1] <= from || e[0] > today) continue;
            boolean stay = e[1] > e[0];
            if (k.equals("ANY") || stay == k.equals("STAY")) count++;
        }
        return count;
    }

    /**
     * Days from the end (last line) of the patient's latest other STAY that ended on or before this encounter's
     * admission (encounter.admittedAt, else the audit date) to that admission; -1 when there is none.
     */
    public int daysSinceOtherStay() {
        LocalDateTime adm = ctx.encounter.getAdmittedAt();
        long admission = adm != null ? adm.toLocalDate().toEpochDay() : ctx.date.toEpochDay();
        long best = Long.MIN_VALUE;
        for (long[] e : otherEncounters()) {
            if (e[1] > e[0] && e[1] <= admission && e[1] > best) best = e[1];
        }
        return best == Long.MIN_VALUE ? -1 : (int) (admission - best);
    }

    /**
     * Number of purchases of this drug's generic (first 10 characters of the code) in the last {@code days} days up
     * to this line, this one included: distinct encounters, or distinct days for lines without an encounter; lines
     * converted to self-pay do not count.
     */
    public int purchasesOfGeneric(Object line, Object days) {
        LineView l = line(line, "purchasesOfGeneric");
        long n = number(days, "purchasesOfGeneric");
        String g = l.generic();
        if (g == null) return 0;
        HashSet<String> seen = new HashSet<>();
        for (LineView x : ctx.drugsOfGeneric(g)) {
            if (Boolean.TRUE.equals(x.getSelfPay()) || x.epochDay <= l.epochDay - n || x.epochDay > l.epochDay) continue;
            String e = x.isRequest() ? "\u0000current" : x.getEncounterId();
            seen.add(e != null ? e : "\u0000day" + x.epochDay);
        }
        return seen.size();
    }

    /**
     * True when the current encounter has at least one line (its history lines and the request) and every one of them
     * has an item code matching the patterns: e.g. an inpatient stay that only held examinations, beds and nursing.
     */
    public boolean encounterAllMatch(Object patterns) {
        CodePatterns p = ctx.patterns(patterns);
        if (p == null) return false;
        int n = 0;
        for (LineView x : ctx.all()) {
            if (!x.inEncounter) continue;
            if (!p.matches(x.getItemCode())) return false;
            n++;
        }
        return n > 0;
    }

    static boolean icd10Shaped(String c) {
        if (c == null) return false;
        int n = c.length();
        if (n < 3 || n == 4 || n > 8) return false;
        char a = c.charAt(0);
        if (a < 'A' || a > 'Z' || !digit(c.charAt(1)) || !digit(c.charAt(2))) return false;
        if (n == 3) return true;
        if (c.charAt(3) != '.') return false;
        for (int i = 4; i < n; i++) {
            char x = c.charAt(i);
            if (!digit(x) && (x < 'A' || x > 'Z') && x != 'x') return false;
        }
        return true;
    }

    private static boolean digit(char x) {
        return x >= '0' && x <= '9';
    }

    // ------------------------------------------------------------------------------------------ helpers

    private LineView[] matching(LineView l) {
        IndexedRow row = ctx.row;
        return row != null ? ctx.matchingRow(row) : ctx.withCode(l.getItemCode());
    }

    private IndexedRow requireRow(String fn) {
        IndexedRow row = ctx.row;
        if (row == null) throw new IllegalArgumentException("fn." + fn + " needs a knowledge row (kp)");
        return row;
    }

    /** {@code x} is a different line from {@code l}: another object and, when both have ids, another id. */
    private static boolean other(LineView x, LineView l) {
        if (x == l) return false;
        String a = x.getId(), b = l.getId();
        return a == null || b == null || !a.equals(b);
    }

    private static LineView line(Object o, String fn) {
        if (o instanceof LineView l) return l;
        if (o == null) throw new IllegalArgumentException("fn." + fn + " needs a line (none in scope)");
        throw new IllegalArgumentException("fn." + fn + " needs a line, got " + o.getClass().getSimpleName());
    }

    private static long number(Object n, String fn) {
        if (n instanceof Number x) return x.longValue();
        if (n != null) {
            try {
                return Long.parseLong(n.toString().trim());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw new IllegalArgumentException("fn." + fn + " needs a number of days, got " + n);
    }
}
