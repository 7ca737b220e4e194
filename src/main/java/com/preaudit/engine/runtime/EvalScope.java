package com.preaudit.engine.runtime;

import java.util.Set;
import org.mvel2.integration.VariableResolver;
import org.mvel2.integration.VariableResolverFactory;

/**
 * The variables of CONTRACT §4 for one audit, as a fixed set of slots: created once per audit and reused for every
 * rule, line and row evaluated in it (only the line/kp/diagnosis/param slot values change), so evaluating an
 * expression allocates nothing here. Refuses variable creation: expressions cannot assign.
 */
public final class EvalScope implements VariableResolverFactory {
    private static final long serialVersionUID = 1L;
    static final Set<String> NAMES = Set.of("patient", "encounter", "hospital", "stage", "scenario", "line", "lines",
        "history", "diagnosis", "kp", "param", "fn");

    final Slot patient = new Slot("patient", null);
    final Slot encounter = new Slot("encounter", null);
    final Slot hospital = new Slot("hospital", null);
    final Slot stage = new Slot("stage", null);
    final Slot scenario = new Slot("scenario", null);
    final Slot line = new Slot("line", null);
    final Slot lines = new Slot("lines", null);
    final Slot history;
    final Slot diagnosis = new Slot("diagnosis", null);
    final Slot kp = new Slot("kp", null);
    final Slot param = new Slot("param", null);
    final Slot fn = new Slot("fn", null);

    EvalScope(AuditContext ctx) {
        // history is materialised on first read: most rules never touch it
        this.history = new Slot("history", null) {
            private static final long serialVersionUID = 1L;

            @Override
            public Object getValue() {
                return ctx.historyList();
            }
        };
    }

    @Override
    public VariableResolver getVariableResolver(String name) {
        switch (name) {
            case "line": return line;
            case "kp": return kp;
            case "patient": return patient;
            case "fn": return fn;
            case "param": return param;
            case "lines": return lines;
            case "encounter": return encounter;
            case "hospital": return hospital;
            case "scenario": return scenario;
            case "stage": return stage;
            case "history": return history;
            case "diagnosis": return diagnosis;
            default: return null;
        }
    }

    @Override
    public boolean isResolveable(String name) {
        return name != null && NAMES.contains(name);
    }

    @Override
    public boolean isTarget(String name) {
        return isResolveable(name);
    }

    @Override
    public Set<String> getKnownVariables() {
        return NAMES;
    }

    @Override
    public VariableResolver createVariable(String name, Object value) {
        throw new UnsupportedOperationException("creating variable '" + name + "' is not allowed");
    }

    @Override
    public VariableResolver createIndexedVariable(int index, String name, Object value) {
        throw new UnsupportedOperationException("creating variable '" + name + "' is not allowed");
    }

    @Override
    public VariableResolver createVariable(String name, Object value, Class<?> type) {
        throw new UnsupportedOperationException("creating variable '" + name + "' is not allowed");
    }

    @Override
    public VariableResolver createIndexedVariable(int index, String name, Object value, Class<?> type) {
        throw new UnsupportedOperationException("creating variable '" + name + "' is not allowed");
    }

    @Override
    public VariableResolver setIndexedVariableResolver(int index, VariableResolver resolver) {
        throw new UnsupportedOperationException("not an indexed factory");
    }

    @Override
    public VariableResolverFactory getNextFactory() {
        return null;
    }

    @Override
    public VariableResolverFactory setNextFactory(VariableResolverFactory factory) {
        return null;   // this is always the outermost scope
    }

    @Override
    public VariableResolver getIndexedVariableResolver(int index) {
        return null;
    }

    @Override
    public int variableIndexOf(String name) {
        return -1;
    }

    @Override
    public boolean isIndexedFactory() {
        return false;
    }

    @Override
    public boolean tiltFlag() {
        return false;
    }

    @Override
    public void setTiltFlag(boolean tilt) {
        // no control flow in sandboxed expressions
    }
}
