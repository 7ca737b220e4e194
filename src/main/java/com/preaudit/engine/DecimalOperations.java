package com.preaudit.engine;

import java.lang.reflect.Field;
import java.math.BigDecimal;
import org.mvel2.DataTypes;
import org.mvel2.ast.ASTNode;
import org.mvel2.ast.BinaryOperation;
import org.mvel2.ast.BooleanNode;
import org.mvel2.ast.Negation;
import org.mvel2.ast.Substatement;
import org.mvel2.compiler.CompiledExpression;
import org.mvel2.compiler.ExecutableAccessor;
import org.mvel2.compiler.ExecutableStatement;
import org.mvel2.integration.VariableResolverFactory;
import org.mvel2.math.MathProcessor;

/**
 * A compile-time rewrite of a compiled {@code when} expression that removes mvel2's most expensive number
 * coercion without changing any result.
 *
 * <p>Why: quantities, prices, amounts and the {@code fn} sums are {@code BigDecimal}, while integral knowledge and
 * param values are {@code Integer} (CONTRACT §2). For {@code BigDecimal op Integer}, mvel2 2.5.2
 * ({@code MathProcessor.doOperations} → {@code asBigDecimal}) converts the Integer with
 * {@code new BigDecimal(integer.doubleValue())}; for an even number such as 5000 that constructor computes
 * {@code 2^k · m} with {@code BigInteger.pow}/{@code multiply}. In the benchmark audit that was the largest single
 * source of garbage (BigInteger, int[] and BigDecimal per comparison) and ≈ 10 % of the CPU samples.
 *
 * <p>What: every {@link BinaryOperation} reachable through {@code && || ! ( )} is replaced by a
 * {@link DecimalIntOperation} that evaluates the same two operands and, only when mvel2 would take exactly that
 * path (left value of class {@code BigDecimal}, right value an {@code Integer}/{@code Short}/{@code Byte}, compile-time
 * operand types that let {@code doOperations} resolve them from the values), hands mvel2 the right operand as
 * {@code BigDecimal.valueOf(long)} instead. Every int is exact in a double, and {@code new BigDecimal(double)} of an
 * integral double is that integer with scale 0 — the same value and scale as {@code BigDecimal.valueOf}, so
 * {@code doBigDecimalArithmetic} gets equal arguments and gives an equal result (comparison or arithmetic). Every
 * other combination is passed to {@code MathProcessor.doOperations} with mvel2's own operand types, unchanged.
 *
 * <p>Nothing is added to what an expression can do: the rewrite runs after the sandbox check and the MVEL compile,
 * only re-wires nodes mvel2 built, and calls the same public {@code MathProcessor} entry the original node calls.
 * Nodes it does not know (ternaries inside {@code ( )}, method arguments compiled into accessors) are left as they
 * are. If mvel2's internals differ from 2.5.2 (the operand-type fields are not found), nothing is rewritten.
 */
final class DecimalOperations {
    private static final Field L_TYPE = field("lType");
    private static final Field R_TYPE = field("rType");

    private DecimalOperations() {}

    private static Field field(String name) {
        try {
            Field f = BinaryOperation.class.getDeclaredField(name);
            f.setAccessible(true);
            if (f.getType() != int.class) return null;
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The statement to run: {@code s} with its binary operations rewritten (a new accessor when its root is one). */
    static ExecutableStatement rewrite(ExecutableStatement s) {
        if (L_TYPE == null || R_TYPE == null) return s;
        try {
            if (s instanceof ExecutableAccessor a) {
                ASTNode root = a.getNode();
                ASTNode r = node(root);
                return r == root ? s : new ExecutableAccessor(r, a.getKnownEgressType());
            }
            statement(s);
            return s;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("rewriting numeric operations", e);
        }
    }

    /** Rewrites inside {@code s} in place (its own first node cannot be replaced, only its children and successors). */
    private static void statement(ExecutableStatement s) throws IllegalAccessException {
        if (s instanceof ExecutableAccessor a) {
            ASTNode root = a.getNode();
            // the accessor's root cannot be swapped in place: only its children are rewritten
            children(root);
        } else if (s instanceof CompiledExpression ce) {
            ASTNode prev = null;
            for (ASTNode n = ce.getFirstNode(); n != null; n = n.nextASTNode) {
                if (prev == null) {
                    children(n);
                } else {
                    ASTNode r = node(n);
                    if (r != n) {
                        r.nextASTNode = n.nextASTNode;
                        prev.nextASTNode = r;
                        n = r;
                    }
                }
                prev = n;
            }
        }
    }

    /** {@code n} itself rewritten (a replacement for a binary operation), its children rewritten in place. */
    private static ASTNode node(ASTNode n) throws IllegalAccessException {
        if (n == null) return null;
        children(n);
        if (n.getClass() == BinaryOperation.class) {
            BinaryOperation b = (BinaryOperation) n;
            return new DecimalIntOperation(b, L_TYPE.getInt(b), R_TYPE.getInt(b));
        }
        return n;
    }

    private static void children(ASTNode n) throws IllegalAccessException {
        if (n instanceof BooleanNode b) {   // And, Or, BinaryOperation
            ASTNode l = b.getLeft(), r = b.getRight();
            ASTNode nl = node(l), nr = node(r);
            if (nl != l) b.setLeft(nl);
            if (nr != r) b.setRight(nr);
        } else if (n instanceof Substatement s) {
            statement(s.getStatement());
        } else if (n instanceof Negation g) {
            statement(g.getStatement());
        }
    }

    /** A {@link BinaryOperation} evaluated as mvel2 does, with the exact BigDecimal conversion of small integers. */
    static final class DecimalIntOperation extends ASTNode {
        private static final long serialVersionUID = 1L;
        private final BinaryOperation original;
        private final ASTNode left, right;
        private final int operation, lType, rType;
        private final boolean leftMayBeDecimal, rightMayBeInt;

        DecimalIntOperation(BinaryOperation original, int lType, int rType) {
            super(null);
            this.original = original;
            this.left = original.getLeft();
            this.right = original.getRight();
            this.operation = original.getOperation();
            this.lType = lType;
            this.rType = rType;
            // doOperations resolves a type < 1 from the value; a known type is used as it is
            this.leftMayBeDecimal = lType < 1 || lType == DataTypes.BIG_DECIMAL;
            this.rightMayBeInt = rType < 1 || rType > 99 && rType != DataTypes.BIG_DECIMAL;
            this.fields = original.fields;
            setEgressType(original.getEgressType());
        }

        @Override
        public Object getReducedValueAccelerated(Object ctx, Object thisValue, VariableResolverFactory factory) {
            Object l = left.getReducedValueAccelerated(ctx, thisValue, factory);
            Object r = right.getReducedValueAccelerated(ctx, thisValue, factory);
            if (leftMayBeDecimal && rightMayBeInt && l != null && l.getClass() == BigDecimal.class
                && (r instanceof Integer || r instanceof Short || r instanceof Byte)) {
                // mvel2 would use new BigDecimal(r.doubleValue()): the same value and scale (0) for every int
                return MathProcessor.doOperations(DataTypes.BIG_DECIMAL, l, operation, DataTypes.BIG_DECIMAL,
                    BigDecimal.valueOf(((Number) r).longValue()));
            }
            return MathProcessor.doOperations(lType, l, operation, rType, r);
        }

        @Override
        public Object getReducedValue(Object ctx, Object thisValue, VariableResolverFactory factory) {
            return original.getReducedValue(ctx, thisValue, factory);
        }

        @Override
        public String toString() {
            return original.toString();
        }
    }
}
