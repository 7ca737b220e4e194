package com.preaudit.bench.drools;

/** The hospital as a Drools fact. */
public final class DHospital {
    private final Integer level;

    public DHospital(Integer level) {
        this.level = level;
    }

    public Integer getLevel() { return level; }
}
