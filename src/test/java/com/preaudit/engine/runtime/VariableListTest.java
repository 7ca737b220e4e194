package com.preaudit.engine.runtime;

import com.preaudit.engine.sandbox.Sandbox;
import org.junit.jupiter.api.Test;

import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One list of expression variables: the names the sandbox lets an expression start from are exactly the names the
 * evaluation scope resolves. A variable added to the sandbox only would pass publish and then fail every audit; one
 * added to the scope only would be refused at publish.
 */
class VariableListTest {

    @Test
    void theSandboxAllowsExactlyTheVariablesTheScopeResolves() {
        assertEquals(new TreeSet<>(EvalScope.NAMES), new TreeSet<>(Sandbox.variables()));
    }
}
