package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Line;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@code line} as MVEL sees it (CONTRACT §4): the request or history line's fields as getters, plus
 * {@code orderedDate}. Also carries what the history functions need, computed once per audit: the effective time
 * (orderedAt, or the audit time when null), its epoch day, the days it covers and its order among all lines.
 * Those are package-private so that generated MVEL accessors (other package, other loader) cannot reach them.
 */
public final class LineView {
    final Line src;
    final LocalDateTime time;
    final LocalDate date;
    final long epochDay;
    final long epochSecond;
    final int span;           // days covered, >= 1
    final int seq;            // history first (input order), then request lines (input order)
    final int requestIndex;   // -1 for history lines
    final boolean inEncounter;
    final String type;        // effective item type (see ItemTypes), computed once
    private final Encounter enc;   // the request's encounter for lines of it (doctor defaults), else null
    private String generic, atc;   // lazily, drug functions only

    LineView(Line src, LocalDateTime auditTime, int seq, int requestIndex, boolean inEncounter, Encounter enc) {
        this.src = src;
        this.enc = inEncounter ? enc : null;
        this.time = src.orderedAt() != null ? src.orderedAt() : auditTime;
        this.date = time.toLocalDate();
        this.epochDay = date.toEpochDay();
        this.epochSecond = time.toEpochSecond(ZoneOffset.UTC);
        Integer d = src.days();
        this.span = d == null || d < 1 ? 1 : d;
        this.seq = seq;
        this.requestIndex = requestIndex;
        this.inEncounter = inEncounter;
        this.type = ItemTypes.effective(src);
    }

    String generic() {
        String g = generic;
        if (g == null && src.itemCode() != null) generic = g = Fn.genericOf(src.itemCode());
        return g;
    }

    String atc() {
        String a = atc;
        if (a == null && src.itemCode() != null) atc = a = Fn.atcOf(src.itemCode());
        return a;
    }

    /** Whether {@code this} comes strictly before {@code o}: by time, then by input order. */
    boolean before(LineView o) {
        return epochSecond < o.epochSecond || epochSecond == o.epochSecond && seq < o.seq;
    }

    boolean isRequest() {
        return requestIndex >= 0;
    }

    /** The item type used by {@code itemTypes} filters (see {@link ItemTypes}); not visible to expressions. */
    public String itemTypeEffective() {
        return type;
    }

    /** The underlying input line. */
    public Line line() {
        return src;
    }

    public String getId() { return src.id(); }
    public String getItemCode() { return src.itemCode(); }
    public String getItemName() { return src.itemName(); }
    public String getItemType() { return src.itemType(); }
    public BigDecimal getQuantity() { return src.quantity(); }
    public BigDecimal getUnitPrice() { return src.unitPrice(); }
    public BigDecimal getListPrice() { return src.listPrice(); }
    public BigDecimal getAmount() { return src.amount(); }
    public LocalDateTime getOrderedAt() { return src.orderedAt(); }
    /** The line's date: orderedAt's date, or the audit date when orderedAt is null. */
    public LocalDate getOrderedDate() { return date; }
    public Integer getDays() { return src.days(); }
    public String getDepartmentCode() { return src.departmentCode(); }
    public String getDoctorId() { return src.doctorId(); }
    public String getPrescriptionNo() { return src.prescriptionNo(); }
    public String getGroupNo() { return src.groupNo(); }
    public Boolean getDischargeMedication() { return src.dischargeMedication(); }
    public Boolean getSelfPay() { return src.selfPay(); }
    public String getEncounterId() { return src.encounterId(); }

    // Clinical fields: absent data throws MissingDataException (the rule is skipped for this line, never decided on
    // a guess); CompiledRule skips a rule before evaluating when no request line carries the data at all.

    /** Dose per administration, in {@link #getDoseUnit()}. */
    public BigDecimal getDose() { return need(src.dose(), "line.dose"); }
    public String getDoseUnit() { return need(src.doseUnit(), "line.doseUnit"); }
    public String getFrequency() { return need(src.frequency(), "line.frequency"); }

    /** Administrations per day: as sent, else from the frequency (see {@link Dosing}). */
    public BigDecimal getTimesPerDay() {
        BigDecimal t = src.timesPerDay();
        if (t != null) return t;
        t = Dosing.timesPerDay(need(src.frequency(), "line.frequency"));
        if (t == null) throw new MissingDataException("line.frequency '" + src.frequency() + "' not understood");
        return t;
    }

    /** Dose per day: dose × administrations per day, in the dose unit. */
    public BigDecimal getDailyDose() { return getDose().multiply(getTimesPerDay()); }
    public String getRoute() { return need(src.route(), "line.route"); }

    /** The ordering doctor's title: the line's, else the encounter's. */
    public String getDoctorTitle() {
        String t = src.doctorTitle();
        if (t == null && enc != null) t = enc.doctorTitle();
        return need(t, "line.doctorTitle");
    }

    /**
     * The ordering doctor's antibiotic privilege (1 非限制, 2 限制, 3 特殊使用级): the line's, else the encounter's,
     * else the highest tier the doctor's title can be granted.
     */
    public Integer getAntibioticLevel() {
        Integer l = src.antibioticLevel();
        if (l == null && enc != null) l = enc.antibioticLevel();
        if (l == null) {
            String t = src.doctorTitle();
            if (t == null && enc != null) t = enc.doctorTitle();
            l = ClinicalData.levelOfTitle(t);
        }
        return need(l, "the doctor's antibiotic privilege (antibioticLevel or doctorTitle)");
    }

    /** 费别: the insurance type the line was priced under. */
    public String getFeeCategory() { return need(src.feeCategory(), "line.feeCategory"); }

    private static <T> T need(T v, String what) {
        if (v == null) throw new MissingDataException(what + " missing");
        return v;
    }

    @Override
    public String toString() {
        return "line " + src.id() + " " + src.itemCode();
    }
}
