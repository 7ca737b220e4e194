package com.preaudit.engine.runtime;

import com.preaudit.engine.model.Diagnosis;

/** {@code diagnosis} / an element of {@code encounter.diagnoses} as MVEL sees it. */
public final class DiagnosisView {
    private final Diagnosis d;

    DiagnosisView(Diagnosis d) {
        this.d = d;
    }

    public String getCode() { return d.code(); }
    public String getName() { return d.name(); }
    public Boolean getPrimary() { return d.primary(); }

    @Override
    public String toString() {
        return d.code();
    }
}
