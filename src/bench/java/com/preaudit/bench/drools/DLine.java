package com.preaudit.bench.drools;

import java.time.LocalDate;

/** A request or history line as a Drools fact. */
public final class DLine {
    private final String id;
    private final String itemCode;
    private final String itemName;
    private final boolean history;
    private final boolean selfPay;
    private final LocalDate date;
    private final long epochDay;
    private final long epochSecond;
    private final int seq;
    private final double qty;

    public DLine(String id, String itemCode, String itemName, boolean history, boolean selfPay, LocalDate date,
                 long epochSecond, int seq, double qty) {
        this.id = id;
        this.itemCode = itemCode;
        this.itemName = itemName;
        this.history = history;
        this.selfPay = selfPay;
        this.date = date;
        this.epochDay = date.toEpochDay();
        this.epochSecond = epochSecond;
        this.seq = seq;
        this.qty = qty;
    }

    public String getId() { return id; }
    public String getItemCode() { return itemCode; }
    public String getItemName() { return itemName; }
    public boolean isHistory() { return history; }
    public boolean isSelfPay() { return selfPay; }
    public LocalDate getDate() { return date; }
    public long getEpochDay() { return epochDay; }
    public long getEpochSecond() { return epochSecond; }
    public int getSeq() { return seq; }
    public double getQty() { return qty; }
}
