package com.preaudit.engine.runtime;

import org.mvel2.integration.VariableResolver;

/**
 * One named variable of an {@link EvalScope}. Mutable value, set by the engine between evaluations; read-only for
 * expressions. A slot with a {@code missing} reason throws {@link MissingDataException} when read while null.
 */
class Slot implements VariableResolver {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final String missing;
    Object value;

    Slot(String name, String missing) {
        this.name = name;
        this.missing = missing;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Class getType() {
        return Object.class;
    }

    @Override
    public void setStaticType(Class type) {
        // variables are dynamically typed
    }

    @Override
    public int getFlags() {
        return 0;
    }

    @Override
    public Object getValue() {
        Object v = value;
        if (v == null && missing != null) throw new MissingDataException(missing);
        return v;
    }

    @Override
    public void setValue(Object value) {
        throw new UnsupportedOperationException("assignment to '" + name + "' is not allowed");
    }
}
