package com.preaudit.engine.runtime;

import com.preaudit.engine.knowledge.IndexedRow;
import com.preaudit.engine.knowledge.KnowledgeIndex;
import com.preaudit.engine.knowledge.KpValues;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Line;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Everything one audit needs: the context views built once, the evaluation scope, and the per-audit indexes the
 * history functions use, each built lazily the first time a function needs it (most audits build none).
 * Not thread-safe: one audit, one thread.
 */
public final class AuditContext {
    private static final LineView[] NO_LINES = {};   // empty, so safe to share

    final AuditInput in;
    final LocalDateTime now;
    final LocalDate date;
    final PatternCache patterns;
    final PatientView patient;
    final EncounterView encounter;
    final HospitalView hospital;
    final List<DiagnosisView> diagnoses;
    final LineView[] request;
    final List<LineView> requestList;
    final EvalScope scope;
    final Fn fn;
    private final String encounterId;

    // binding of the evaluation in progress
    KnowledgeIndex index;
    IndexedRow row;

    // lazily built
    private StringBuilder messageBuffer;
    private LineView[] history;            // history ∪ (nothing of request), de-duplicated, input order
    private List<LineView> historyList;
    private LineView[] all;                // history then request, seq order
    private HashMap<String, LineView[]> byCode;
    private HashMap<Object, LineView[]> matchingCache;
    private LineView[] byDay;              // all, sorted by (epochDay, seq)
    private long[] byDayKeys;
    private HashMap<String, LineView[]> byPrescription;
    private HashMap<String, LineView[]> byGeneric;
    private HashMap<String, LineView[]> byAtc;
    private BigDecimal encounterTotal, encounterSelfPay, requestTotal;
    private HashMap<String, BigDecimal> totalsByTypes;
    private int presentData = -1;          // ClinicalData bits, computed on first need
    private int typesPresent = -1;         // ItemTypes bits of the request lines, computed on first need

    public AuditContext(AuditInput in, LocalDateTime now, PatternCache patterns) {
        this.in = in;
        this.now = now;
        this.date = now.toLocalDate();
        this.patterns = patterns;
        this.patient = new PatientView(in.patient(), date);
        List<Diagnosis> ds = in.encounter() == null ? null : in.encounter().diagnoses();
        if (ds == null || ds.isEmpty()) {
            this.diagnoses = List.of();
        } else {
            DiagnosisView[] v = new DiagnosisView[ds.size()];
            int k = 0;
            for (Diagnosis d : ds) if (d != null && d.code() != null) v[k++] = new DiagnosisView(d);
            this.diagnoses = Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(v, k)));
        }
        this.encounter = new EncounterView(in.encounter(), diagnoses);
        this.hospital = new HospitalView(in.hospital());
        this.encounterId = in.encounter() == null ? null : in.encounter().id();
        List<Line> ls = in.lines() == null ? List.of() : in.lines();
        int h = in.history() == null ? 0 : in.history().size();
        LineView[] req = new LineView[ls.size()];
        int k = 0;
        for (Line l : ls) {
            if (l != null) {
                req[k] = new LineView(l, now, h + k, k, true, in.encounter());
                k++;
            }
        }
        this.request = k == req.length ? req : Arrays.copyOf(req, k);
        this.requestList = Collections.unmodifiableList(Arrays.asList(request));
        this.scope = new EvalScope(this);
        this.fn = new Fn(this);
        scope.patient.value = patient;
        scope.encounter.value = encounter;
        scope.hospital.value = hospital;
        scope.stage.value = in.stage() == null ? null : in.stage().name();
        scope.scenario.value = in.scenario() == null ? null : in.scenario().name();
        scope.lines.value = requestList;
        scope.fn.value = fn;
    }

    /**
     * The buffer messages of this audit are rendered into, reused by every firing (one rule renders at a time). It is
     * created with room for a typical message and already in UTF-16 form, so Chinese text neither grows nor inflates
     * it per message.
     */
    public StringBuilder messageBuffer() {
        StringBuilder b = messageBuffer;
        if (b == null) {
            b = new StringBuilder(256);
            b.append('\u4e00');   // switch to UTF-16 once; setLength keeps it
            messageBuffer = b;
        }
        b.setLength(0);
        return b;
    }

    /** The {@link ClinicalData} bits this request carries. */
    public int presentData() {
        int p = presentData;
        if (p < 0) presentData = p = ClinicalData.present(in);
        return p;
    }

    /** The {@link ItemTypes#bit} bits of the request lines' effective item types. */
    public int itemTypesPresent() {
        int t = typesPresent;
        if (t < 0) {
            t = 0;
            for (LineView l : request) t |= ItemTypes.bit(l.type);
            typesPresent = t;
        }
        return t;
    }

    public EvalScope scope() {
        return scope;
    }

    /** The {@code fn} object of this audit. */
    public Fn fn() {
        return fn;
    }

    /** Request lines in input order (null entries dropped). Shared: do not modify. */
    public LineView[] requestLines() {
        return request;
    }

    public List<DiagnosisView> diagnoses() {
        return diagnoses;
    }

    public LocalDate auditDate() {
        return date;
    }

    /** Binds the rule about to be evaluated: its knowledge set (or null) and params. */
    public void bindRule(KnowledgeIndex index, KpValues params) {
        this.index = index;
        this.row = null;
        scope.param.value = params;
        scope.kp.value = null;
        scope.line.value = null;
        scope.diagnosis.value = null;
    }

    /** Binds one line (or null for ORDER scope) and the knowledge row it matched (or null). */
    public void bindLine(LineView line, IndexedRow row) {
        this.row = row;
        scope.line.value = line;
        scope.kp.value = row == null ? null : row.kp();
    }

    /** Binds one diagnosis and the knowledge row it matched (matchOn DIAGNOSIS). */
    public void bindDiagnosis(DiagnosisView d, IndexedRow row) {
        this.row = row;
        scope.diagnosis.value = d;
        scope.kp.value = row == null ? null : row.kp();
    }

    // ------------------------------------------------------------------------------------------ lazy indexes

    CodePatterns patterns(Object p) {
        return p == null ? null : patterns.get(p.toString());
    }

    LineView[] history() {
        if (history == null) buildAll();
        return history;
    }

    List<LineView> historyList() {
        if (historyList == null) historyList = Collections.unmodifiableList(Arrays.asList(history()));
        return historyList;
    }

    LineView[] all() {
        if (all == null) buildAll();
        return all;
    }

    private void buildAll() {
        List<Line> hs = in.history();
        if (hs == null || hs.isEmpty()) {
            history = NO_LINES;
        } else {
            // sized for the request ids, so adding them never rehashes
            HashSet<String> seen = new HashSet<>(Math.max(16, request.length * 2));
            for (LineView r : request) if (r.getId() != null) seen.add(r.getId());
            LineView[] out = new LineView[hs.size()];
            int k = 0, seq = 0;
            for (Line l : hs) {
                if (l == null) continue;
                if (l.id() != null && !seen.add(l.id())) continue;   // request wins; first history copy wins
                boolean inEnc = l.encounterId() == null || l.encounterId().equals(encounterId);
                out[k++] = new LineView(l, now, seq++, -1, inEnc, in.encounter());
            }
            history = k == out.length ? out : Arrays.copyOf(out, k);
        }
        LineView[] a = Arrays.copyOf(history, history.length + request.length);
        System.arraycopy(request, 0, a, history.length, request.length);
        all = a;
    }

    private HashMap<String, LineView[]> byCode() {
        if (byCode == null) byCode = group(all(), 0);
        return byCode;
    }

    /** Lines (history ∪ request) whose item code equals {@code code}, seq order. */
    LineView[] withCode(String code) {
        if (code == null) return NO_LINES;
        LineView[] r = byCode().get(code);
        return r == null ? NO_LINES : r;
    }

    /** Lines (history ∪ request) whose item code matches any code or pattern of {@code row}, seq order. */
    LineView[] matchingRow(IndexedRow row) {
        if (matchingCache == null) matchingCache = new HashMap<>();
        LineView[] hit = matchingCache.get(row);
        if (hit != null) return hit;
        HashMap<String, LineView[]> codes = byCode();
        ArrayList<LineView> acc = new ArrayList<>();
        boolean pattern = false;
        for (String c : row.codes()) {
            if (c.endsWith("*")) {
                pattern = true;
            } else {
                LineView[] ls = codes.get(c);
                if (ls != null) Collections.addAll(acc, ls);
            }
        }
        if (pattern) {
            acc.clear();
            for (Map.Entry<String, LineView[]> e : codes.entrySet()) {
                if (row.matches(e.getKey())) Collections.addAll(acc, e.getValue());
            }
        }
        LineView[] out = acc.toArray(new LineView[0]);
        Arrays.sort(out, (x, y) -> Integer.compare(x.seq, y.seq));
        matchingCache.put(row, out);
        return out;
    }

    /** Half-open range [from, to) into {@link #byDaySorted()} of lines dated {@code epochDay}. */
    int[] dayRange(long epochDay) {
        byDaySorted();
        int lo = lowerBound(byDayKeys, epochDay);
        int hi = lowerBound(byDayKeys, epochDay + 1);
        return new int[] {lo, hi};
    }

    LineView[] byDaySorted() {
        if (byDay == null) {
            LineView[] s = all().clone();
            Arrays.sort(s, (x, y) -> x.epochDay != y.epochDay ? Long.compare(x.epochDay, y.epochDay)
                : Integer.compare(x.seq, y.seq));
            long[] keys = new long[s.length];
            for (int i = 0; i < s.length; i++) keys[i] = s[i].epochDay;
            byDayKeys = keys;
            byDay = s;
        }
        return byDay;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Request lines with the given prescription number, input order. */
    LineView[] prescription(String no) {
        if (byPrescription == null) {
            byPrescription = new HashMap<>();
            HashMap<String, ArrayList<LineView>> m = new HashMap<>();
            for (LineView l : request) {
                String p = l.getPrescriptionNo();
                if (p != null && !p.isBlank()) m.computeIfAbsent(p, x -> new ArrayList<>()).add(l);
            }
            for (Map.Entry<String, ArrayList<LineView>> e : m.entrySet()) {
                byPrescription.put(e.getKey(), e.getValue().toArray(new LineView[0]));
            }
        }
        return byPrescription.get(no);
    }

    /** Drug lines (history ∪ request) of the given generic, seq order. */
    LineView[] drugsOfGeneric(String generic) {
        if (byGeneric == null) byGeneric = group(drugs(), 1);
        LineView[] r = byGeneric.get(generic);
        return r == null ? NO_LINES : r;
    }

    /** Drug lines (history ∪ request) of the given ATC class, seq order. */
    LineView[] drugsOfAtc(String atc) {
        if (byAtc == null) byAtc = group(drugs(), 2);
        LineView[] r = byAtc.get(atc);
        return r == null ? NO_LINES : r;
    }

    private LineView[] drugs() {
        LineView[] a = all();
        ArrayList<LineView> out = new ArrayList<>(a.length);
        for (LineView l : a) if ("DRUG".equals(l.type)) out.add(l);
        return out.toArray(new LineView[0]);
    }

    /** Groups lines by item code (0), generic (1) or ATC class (2), keeping seq order; null keys are left out. */
    private static HashMap<String, LineView[]> group(LineView[] lines, int by) {
        // most keys have one line: a one-element array per key, grown on the rare collision, no list per key
        HashMap<String, LineView[]> out = new HashMap<>(Math.max(16, lines.length * 2));
        for (LineView l : lines) {
            String k = by == 0 ? l.getItemCode() : by == 1 ? l.generic() : l.atc();
            if (k == null) continue;
            LineView[] cur = out.get(k);
            if (cur == null) {
                out.put(k, new LineView[] {l});
            } else {
                LineView[] grown = Arrays.copyOf(cur, cur.length + 1);
                grown[cur.length] = l;
                out.put(k, grown);
            }
        }
        return out;
    }

    BigDecimal encounterTotal() {
        if (encounterTotal == null) {
            BigDecimal t = BigDecimal.ZERO, sp = BigDecimal.ZERO;
            for (LineView l : all()) {
                if (!l.inEncounter || l.getAmount() == null) continue;
                t = t.add(l.getAmount());
                if (Boolean.TRUE.equals(l.getSelfPay())) sp = sp.add(l.getAmount());
            }
            encounterTotal = t;
            encounterSelfPay = sp;
        }
        return encounterTotal;
    }

    /** Encounter total restricted to the {@code |}-separated item types; memoised per types text. */
    BigDecimal encounterTotalOfTypes(String types) {
        if (totalsByTypes == null) totalsByTypes = new HashMap<>();
        BigDecimal t = totalsByTypes.get(types);
        if (t == null) {
            t = BigDecimal.ZERO;
            for (LineView l : all()) {
                if (l.inEncounter && l.getAmount() != null && l.type != null && fn.inList(types, l.type)) {
                    t = t.add(l.getAmount());
                }
            }
            totalsByTypes.put(types, t);
        }
        return t;
    }

    BigDecimal encounterSelfPay() {
        encounterTotal();
        return encounterSelfPay;
    }

    BigDecimal requestTotal() {
        if (requestTotal == null) {
            BigDecimal t = BigDecimal.ZERO;
            for (LineView l : request) if (l.getAmount() != null) t = t.add(l.getAmount());
            requestTotal = t;
        }
        return requestTotal;
    }
}
