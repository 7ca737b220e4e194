package com.preaudit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.preaudit.engine.sandbox.MvelHardening;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mvel2.MVEL;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.integration.impl.MapVariableResolverFactory;

/**
 * The rewrite of {@link DecimalOperations} must give exactly what mvel2 gives for the same compiled expression:
 * same class, same value, same scale, same exception type, for every operator and every mix of number types.
 */
class DecimalOperationsTest {
    private static final String[] OPS = {">", ">=", "<", "<=", "==", "!=", "+", "-", "*", "/", "%"};
    private static final Object[] VALUES = {
        new BigDecimal("2.50"), new BigDecimal("5000"), new BigDecimal("-7"), BigDecimal.ZERO, new BigDecimal("1E+3"),
        new BigDecimal("0.1"), 0, 1, 3, 8, 5000, -16, -17, 1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE,
        (short) 12, (byte) -3, 7L, 2.5d, "7", null};

    @Test
    void integralDoublesAreValueOf() {
        // the identity the rewrite rests on, for the edges of int
        int[] ints = {0, 1, -1, 2, 16, 17, 1000, 5000, 65536, 1 << 30, Integer.MAX_VALUE, Integer.MIN_VALUE, -5000};
        for (int i : ints) {
            BigDecimal a = new BigDecimal((double) i), b = BigDecimal.valueOf(i);
            assertEquals(a, b);
            assertEquals(a.scale(), b.scale());
        }
    }

    @Test
    void sameResultsAsPlainMvel() {
        List<String> exprs = new ArrayList<>();
        for (String op : OPS) {
            exprs.add("a " + op + " b");
            exprs.add("(a " + op + " b)");
            exprs.add("x == 1 && a " + op + " b");
            exprs.add("x != 1 || a " + op + " b");
            exprs.add("!(x == 1 && a " + op + " b)");
            exprs.add("a " + op + " 4");
            exprs.add("a " + op + " b " + op + " b");
            exprs.add("(x == 1 ? a " + op + " b : b " + op + " a)");
        }
        int checked = 0;
        for (String e : exprs) {
            ExecutableStatement plain = plain(e), fast = RuleCompiler.compileExpression(e);
            for (Object a : VALUES) {
                for (Object b : VALUES) {
                    for (int x = 0; x < 2; x++) {
                        Map<String, Object> vars = new HashMap<>();
                        vars.put("a", a);
                        vars.put("b", b);
                        vars.put("x", x);
                        // twice: the second run goes through mvel2's optimised accessors
                        for (int run = 0; run < 2; run++) {
                            String want = outcome(plain, vars), got = outcome(fast, vars);
                            assertEquals(want, got, e + " with a=" + a + ", b=" + b + ", x=" + x);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(exprs.size() * VALUES.length * VALUES.length * 4, checked);
    }

    @Test
    void operationsAreRewritten() {
        var root = (org.mvel2.compiler.ExecutableAccessor) RuleCompiler.compileExpression("a > b");
        assertEquals(DecimalOperations.DecimalIntOperation.class, root.getNode().getClass());
        var and = (org.mvel2.compiler.ExecutableAccessor) RuleCompiler.compileExpression("x == 1 && a > b");
        var right = ((org.mvel2.ast.BooleanNode) and.getNode()).getRight();
        assertEquals(DecimalOperations.DecimalIntOperation.class, right.getClass());
    }

    private static ExecutableStatement plain(String e) {
        ClassLoader prev = MvelHardening.enter();
        try {
            Serializable s = MVEL.compileExpression(e, MvelHardening.newParserContext());
            return (ExecutableStatement) s;
        } finally {
            MvelHardening.exit(prev);
        }
    }

    private static String outcome(ExecutableStatement s, Map<String, Object> vars) {
        try {
            Object v = s.getValue(null, new MapVariableResolverFactory(new HashMap<>(vars)));
            if (v instanceof BigDecimal d) return "BigDecimal " + d.unscaledValue() + " scale " + d.scale();
            return v == null ? "null" : v.getClass().getName() + " " + v;
        } catch (RuntimeException ex) {
            Throwable t = ex;
            while (t.getCause() != null && t.getCause() != t) t = t.getCause();
            return "throws " + t.getClass().getName();
        }
    }
}
