package com.preaudit.engine.sandbox;

import java.util.HashMap;
import java.util.Map;
import org.mvel2.ParserConfiguration;
import org.mvel2.ParserContext;
import org.mvel2.compiler.AbstractParser;
import org.mvel2.optimizers.OptimizerFactory;

/**
 * Second line of defence behind {@link Sandbox}: even an expression that slipped past the allow-list must not be
 * able to name a dangerous class.
 *
 * <p>Two measures, both investigated against mvel2 2.5.2:
 * <ol>
 *   <li>{@code AbstractParser.LITERALS}/{@code CLASS_LITERALS} are JVM-global tables that make {@code System},
 *       {@code Runtime}, {@code Class}, {@code Thread}, … resolve to their {@code Class} objects in <em>every</em>
 *       expression, whatever the {@link ParserContext}. A per-context import cannot shadow them reliably (imports
 *       are only consulted for "property-only" tokens), so the only way to make them unreachable is to remove the
 *       Class-valued entries from those tables. We swap in filtered copies once, when this class initialises
 *       (reference assignment, so concurrent readers see either the old or the new table, never a half-built one).
 *       This is global: other MVEL users in the same JVM lose the bare names too (they can still use imports or
 *       fully-qualified names through their own class loader). Set {@code -Dpreaudit.mvel.globalHardening=false}
 *       to opt out of both global measures (this one and the JIT loader below).</li>
 *   <li>Every compile gets a fresh {@link ParserContext} over a fresh {@link ParserConfiguration} (no imports, never
 *       shared between compiles, so nothing one expression imports can leak into another) whose class loader is
 *       {@link DenyingClassLoader}. mvel2 resolves fully-qualified names ({@code java.lang.Runtime.getRuntime()}),
 *       {@code new x.y.Z()} and {@code Class.forName} through that loader, and its ASM JIT defines the accessor
 *       classes it generates as children of it, so generated code that links against a denied class fails with
 *       {@link NoClassDefFoundError} instead of running. mvel2 retries a refused class with the thread context class
       loader, so compiles and audits also run with this loader as context loader ({@link #enter}/{@link #exit}).
 *       mvel2's JIT loader is created once per JVM under the then-current context loader; we trigger that here
 *       (global measure) so generated accessors are children of the denying loader too.</li>
 * </ol>
 */
public final class MvelHardening {
    /** True when the global class literals were removed (false only when opted out). */
    public static final boolean CLASS_LITERALS_REMOVED;

    private static final DenyingClassLoader LOADER = new DenyingClassLoader(MvelHardening.class.getClassLoader());

    static {
        boolean global = !"false".equalsIgnoreCase(System.getProperty("preaudit.mvel.globalHardening"));
        if (global) {
            synchronized (AbstractParser.class) {
                AbstractParser.setupParser();
                AbstractParser.CLASS_LITERALS = withoutClasses(AbstractParser.CLASS_LITERALS);
                AbstractParser.LITERALS = withoutClasses(AbstractParser.LITERALS);
            }
            // mvel2 creates its JIT class loader once, as a child of the context loader of whichever thread first
            // touches OptimizerFactory. Do it here, deterministically, under the denying loader, so accessors it
            // generates later cannot link against denied classes either. No-op if MVEL was initialised before.
            ClassLoader prev = enter();
            try {
                OptimizerFactory.getDefaultAccessorCompiler();
            } finally {
                exit(prev);
            }
        }
        CLASS_LITERALS_REMOVED = global;
    }

    private MvelHardening() {}

    /** A new, unshared parser context for exactly one compile. */
    public static ParserContext newParserContext() {
        ParserConfiguration conf = new ParserConfiguration();
        conf.setClassLoader(LOADER);
        ParserContext ctx = new ParserContext(conf);
        ctx.setStrictTypeEnforcement(false);
        return ctx;
    }

    /**
     * Makes the denying loader the thread's context class loader and returns the previous one, to be handed back
     * to {@link #exit}. Needed because mvel2 ({@code ParseTools.createClass}) retries a class the parser
     * configuration's loader refused with the thread context class loader. Two field writes per audit.
     */
    public static ClassLoader enter() {
        Thread t = Thread.currentThread();
        ClassLoader prev = t.getContextClassLoader();
        t.setContextClassLoader(LOADER);
        return prev;
    }

    /** Restores the context class loader saved by {@link #enter}. */
    public static void exit(ClassLoader previous) {
        Thread.currentThread().setContextClassLoader(previous);
    }

    /** The class loader given to every compile (exposed for tests). */
    public static ClassLoader classLoader() {
        return LOADER;
    }

    private static HashMap<String, Object> withoutClasses(Map<String, Object> table) {
        HashMap<String, Object> copy = new HashMap<>();
        if (table != null) {
            for (Map.Entry<String, Object> e : table.entrySet()) {
                if (!(e.getValue() instanceof Class)) copy.put(e.getKey(), e.getValue());
            }
        }
        return copy;
    }

    /**
     * Parent-first loader that refuses classes giving access to the process, the file system, the network,
     * threads, class loading or reflection, and MVEL's own entry points (no expression-in-expression).
     */
    static final class DenyingClassLoader extends ClassLoader {
        private static final String[] DENIED_PREFIXES = {
            "java.io.", "java.nio.", "java.net.", "java.rmi.", "java.sql.", "java.beans.", "java.security.",
            "java.lang.reflect.", "java.lang.invoke.", "java.lang.ref.", "java.lang.instrument.",
            "java.lang.management.", "java.util.concurrent.", "java.util.zip.", "java.util.jar.",
            "java.util.logging.", "java.util.prefs.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.mvel2.sh.", "org.mvel2.templates.", "org.mvel2.jsr223.",
        };
        private static final String[] DENIED_CLASSES = {
            "java.lang.System", "java.lang.Runtime", "java.lang.Thread", "java.lang.ThreadGroup",
            "java.lang.ThreadLocal", "java.lang.InheritableThreadLocal", "java.lang.Class", "java.lang.ClassLoader",
            "java.lang.ClassValue", "java.lang.Process", "java.lang.ProcessBuilder", "java.lang.ProcessHandle",
            "java.lang.Module", "java.lang.ModuleLayer", "java.lang.StackWalker", "java.lang.SecurityManager",
            "java.lang.Package", "java.lang.Compiler", "org.mvel2.MVEL", "org.mvel2.MVELRuntime",
            "org.mvel2.MVELInterpretedRuntime",
        };

        DenyingClassLoader(ClassLoader parent) {
            super(parent);
        }

        static boolean denied(String name) {
            for (String p : DENIED_PREFIXES) if (name.startsWith(p)) return true;
            for (String c : DENIED_CLASSES) {
                // also inner classes such as java.lang.ProcessBuilder$Redirect
                if (name.startsWith(c) && (name.length() == c.length() || name.charAt(c.length()) == '$')) return true;
            }
            return false;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (denied(name)) throw new ClassNotFoundException("denied by the PreAudit sandbox: " + name);
            return super.loadClass(name, resolve);
        }
    }
}
