package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Hospital;

/** {@code hospital} as MVEL sees it; an absent hospital reads as one without id and level. */
public final class HospitalView {
    private final Hospital h;

    HospitalView(Hospital h) {
        this.h = h;
    }

    public String getId() {
        return h == null ? null : h.id();
    }

    public Integer getLevel() {
        return h == null ? null : h.level();
    }
}
