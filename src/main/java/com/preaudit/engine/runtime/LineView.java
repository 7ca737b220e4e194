package com.preaudit.engine.runtime;

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
    private String generic, atc;   // lazily, drug functions only

    LineView(Line src, LocalDateTime auditTime, int seq, int requestIndex, boolean inEncounter) {
        this.src = src;
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

    @Override
    public String toString() {
        return "line " + src.id() + " " + src.itemCode();
    }
}
