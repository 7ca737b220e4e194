package com.preaudit.engine;

import com.preaudit.engine.runtime.Fn;
import com.preaudit.engine.sandbox.Sandbox;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One list of rule functions: the sandbox's allow-list of {@code fn.x(…)} (name and arity) is exactly
 * the public instance methods of {@link Fn}. A function added to one and not the other fails here,
 * instead of being refused at publish (allow-list short) or reachable unchecked (allow-list long).
 */
class FnListTest {

    @Test
    void theSandboxAllowsExactlyTheMethodsOfFn() {
        Map<String, Integer> declared = new TreeMap<>();
        for (Method m : Fn.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                Integer before = declared.put(m.getName(), m.getParameterCount());
                assertTrue(before == null, "fn." + m.getName() + " is overloaded; the sandbox checks one arity per name");
            }
        }
        assertEquals(declared, new TreeMap<>(Sandbox.functions()));
    }

    @Test
    void everyHistoryFunctionIsARuleFunction() {
        assertTrue(Sandbox.functions().keySet().containsAll(Sandbox.HISTORY_FUNCTIONS),
                () -> "history functions not in fn: " + Sandbox.HISTORY_FUNCTIONS.stream().filter(f -> !Sandbox.functions().containsKey(f)).toList());
    }
}
