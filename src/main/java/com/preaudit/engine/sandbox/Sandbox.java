package com.preaudit.engine.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Allow-list checker run on every {@code when} expression and every {@code @{…}} of a message template before MVEL
 * sees a single character of it (CONTRACT §4).
 *
 * <p>The check is lexical plus a small amount of structure: a tokenizer that knows MVEL's string and number syntax
 * (so string contents are data, never code), then one left-to-right pass that tracks what each operand is
 * (patient, line, a list of lines, a map, a plain value, …) so that a property or method is accepted only where
 * the contract lists it. Anything not recognised is refused, with the 0-based position of the offending token;
 * nothing is ever evaluated. The scan also collects what the expression reads ({@link ExpressionInfo}), which the
 * engine uses to precompute history dependence and required data.
 */
public final class Sandbox {
    public static final int MAX_EXPRESSION_LENGTH = 2000;
    public static final int MAX_TEMPLATE_LENGTH = 1000;

    /** Value kinds an operand can have; decides which members may follow a '.'. */
    private enum K { VALUE, PATIENT, ENCOUNTER, HOSPITAL, LINE, DIAGNOSIS, LINES, DIAGNOSES, LIST, MAP, FN }

    /** The variables of CONTRACT §4 an expression may start from, and what each one is. */
    private static final Map<String, K> ROOTS = Map.ofEntries(
        entry("patient", K.PATIENT), entry("encounter", K.ENCOUNTER), entry("hospital", K.HOSPITAL),
        entry("stage", K.VALUE), entry("scenario", K.VALUE),
        entry("line", K.LINE), entry("lines", K.LINES), entry("history", K.LINES), entry("diagnosis", K.DIAGNOSIS),
        entry("kp", K.MAP), entry("param", K.MAP), entry("fn", K.FN));
    private static final Map<K, Map<String, K>> PROPERTIES = new HashMap<>();
    /** fn name → arity. */
    private static final Map<String, Integer> FN_ARITY = new HashMap<>();
    private static final Map<String, K> FN_RESULT = new HashMap<>();
    private static final Map<String, Integer> METHOD_ARITY = new HashMap<>();
    /** Property names accepted as the left part of a projection {@code (prop in collection)}. */
    private static final Set<String> PROJECTION_PROPERTIES = new LinkedHashSet<>();

    /** The history functions of CONTRACT §5 (a rule using one needs stored history). */
    public static final Set<String> HISTORY_FUNCTIONS = Set.of(
        "quantityIn", "quantityLastDays", "distinctDays", "firstUseDate", "lastUseDate", "daysSinceFirstUse",
        "daysSinceLastUse", "sameDayLines", "sameDayHasCode", "pairChargedEarlierSameDay", "sameGroupEarlierSameDay",
        "sameGenericOverlap", "sameAtcOverlap", "historyHasOtherAtcDrug", "encounterTotal", "encounterTotalOfTypes",
        "encounterSelfPayTotal", "overlappingCode",
        // round two (policy)
        "amountIn", "otherEncounterCount", "daysSinceOtherStay", "purchasesOfGeneric", "encounterAllMatch");

    private static final Set<String> LITERAL_WORDS = Set.of("true", "false", "null", "empty");

    /** Names refused wherever they appear outside a string, with a message naming the capability. */
    private static final Map<String, String> DENIED = new HashMap<>();

    static {
        props(K.PATIENT, "id", "gender", "birthDate", "ageYears", "ageDays", "insuranceType", "pregnancy");
        PROPERTIES.get(K.PATIENT).put("chronicDiseases", K.LIST);
        props(K.ENCOUNTER, "id", "admittedAt", "dischargedAt", "departmentCode", "doctorId", "doctorTitle",
            "antibioticLevel");
        PROPERTIES.get(K.ENCOUNTER).put("diagnoses", K.DIAGNOSES);
        PROPERTIES.get(K.ENCOUNTER).put("procedureCodes", K.LIST);
        props(K.HOSPITAL, "id", "level");
        props(K.LINE, "id", "itemCode", "itemName", "itemType", "quantity", "unitPrice", "listPrice", "amount",
            "orderedAt", "orderedDate", "days", "departmentCode", "doctorId", "prescriptionNo", "groupNo",
            "dischargeMedication", "selfPay", "encounterId", "dose", "doseUnit", "frequency", "timesPerDay", "dailyDose",
            "route", "doctorTitle", "antibioticLevel", "feeCategory");
        props(K.DIAGNOSIS, "code", "name", "primary");
        for (Map<String, K> m : PROPERTIES.values()) PROJECTION_PROPERTIES.addAll(m.keySet());

        fn("hasDiagnosis", 1); fn("diagnosisMatching", 1); fn("codeMatches", 2); fn("anyMatches", 2);
        fn("ageYears", 1); fn("ageDays", 1); fn("inList", 2); fn("atc", 1); fn("generic", 1);
        fn("quantityIn", 2); fn("quantityLastDays", 2); fn("distinctDays", 1); fn("firstUseDate", 1);
        fn("lastUseDate", 1); fn("daysSinceFirstUse", 1); fn("daysSinceLastUse", 1);
        fn("sameDayLines", 1, K.LINES); fn("sameDayHasCode", 2); fn("prescriptionLines", 1, K.LINES);
        fn("drugsInPrescription", 1, K.LIST); fn("allHerbsOfPrescriptionInSet", 1);
        fn("pairChargedEarlierSameDay", 1); fn("sameGroupEarlierSameDay", 2); fn("sameGenericOverlap", 1);
        fn("sameAtcOverlap", 1); fn("historyHasOtherAtcDrug", 1); fn("encounterTotal", 0);
        fn("encounterTotalOfTypes", 1); fn("encounterSelfPayTotal", 0); fn("requestTotal", 0); fn("lineDate", 1);
        fn("daysBetween", 2); fn("isBefore", 2); fn("isAfter", 2); fn("dec", 1);
        // clinical data (round two)
        fn("need", 2); fn("doseIn", 2); fn("dailyDoseIn", 2); fn("overlappingCode", 2);
        fn("prescriptionCodeMatching", 2); fn("prescriptionNameMatching", 2); fn("herbsInPrescription", 1, K.LIST); fn("hasProcedure", 1);
        fn("procedureMatching", 1); fn("hoursSinceProcedure", 2); fn("procedureOfOtherGender", 0);
        fn("procedureWithoutDiagnosis", 0);
        // round two (policy): see Fn
        fn("amountIn", 2); fn("malformedDiagnosis", 0); fn("quota", 2); fn("malformedProcedure", 0);
        fn("otherEncounterCount", 2); fn("daysSinceOtherStay", 0); fn("purchasesOfGeneric", 2); fn("encounterAllMatch", 1);

        METHOD_ARITY.put("size", 0);
        METHOD_ARITY.put("isEmpty", 0);
        METHOD_ARITY.put("length", 0);
        METHOD_ARITY.put("contains", 1);
        METHOD_ARITY.put("startsWith", 1);
        METHOD_ARITY.put("endsWith", 1);

        for (String w : new String[] {"class", "getClass", "forName", "getClassLoader", "classLoader", "loadClass",
                "getMethod", "getMethods", "getDeclaredMethod", "getDeclaredMethods", "getField", "getDeclaredField",
                "getDeclaredFields", "getConstructor", "getDeclaredConstructor", "newInstance", "invoke",
                "setAccessible", "getRuntime", "exec", "exit", "halt", "getProperty", "getenv", "lookup"}) {
            DENIED.put(w, "reflection/class access '" + w + "' is not allowed");
        }
        DENIED.put("new", "object creation ('new') is not allowed");
        DENIED.put("import", "'import' is not allowed");
        DENIED.put("import_static", "'import_static' is not allowed");
        for (String w : new String[] {"while", "for", "foreach", "do", "until"}) {
            DENIED.put(w, "loops ('" + w + "') are not allowed");
        }
        DENIED.put("if", "'if' blocks are not allowed (use the ?: operator)");
        DENIED.put("else", "'else' blocks are not allowed (use the ?: operator)");
        DENIED.put("def", "function definitions ('def') are not allowed");
        DENIED.put("function", "function definitions ('function') are not allowed");
        DENIED.put("with", "'with' blocks are not allowed");
        DENIED.put("return", "'return' is not allowed (the expression is its value)");
        for (String w : new String[] {"var", "assert", "isdef", "instanceof", "is", "matches", "soundslike",
                "strsim", "convertable_to", "proto", "stacklang", "switch", "case", "this", "nil", "throw", "try",
                "catch", "synchronized"}) {
            DENIED.put(w, "'" + w + "' is not allowed");
        }
        for (String w : new String[] {"java", "javax", "jdk", "sun", "com", "org", "net", "io"}) {
            DENIED.put(w, "package/class names ('" + w + ".…') are not allowed");
        }
    }

    private static void props(K kind, String... names) {
        Map<String, K> m = PROPERTIES.computeIfAbsent(kind, k -> new HashMap<>());
        for (String n : names) m.put(n, K.VALUE);
    }

    private static void fn(String name, int arity) {
        fn(name, arity, K.VALUE);
    }

    private static void fn(String name, int arity, K result) {
        FN_ARITY.put(name, arity);
        FN_RESULT.put(name, result);
    }

    private Sandbox() {}

    /** The variables an expression may start from (CONTRACT §4). */
    public static Set<String> variables() {
        return ROOTS.keySet();
    }

    /** The {@code fn} functions of CONTRACT §5 with their arity. */
    public static Map<String, Integer> functions() {
        return Collections.unmodifiableMap(FN_ARITY);
    }

    /**
     * Checks one {@code when} expression.
     *
     * @return what the expression reads
     * @throws SandboxViolation naming the first refused construct and its position
     */
    public static ExpressionInfo checkExpression(String expression) throws SandboxViolation {
        if (expression == null || expression.isBlank()) throw new SandboxViolation("empty expression", 0);
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new SandboxViolation("expression too long (" + expression.length() + " characters, at most "
                + MAX_EXPRESSION_LENGTH + ")", MAX_EXPRESSION_LENGTH);
        }
        Checker c = new Checker(expression, 0, expression.length(), false);
        c.run();
        return c.info();
    }

    /**
     * Checks a message template: plain text with {@code @{expression}} segments only; each expression is checked
     * like a {@code when}. Positions are offsets in the whole template.
     */
    public static ExpressionInfo checkTemplate(String template) throws SandboxViolation {
        if (template == null) throw new SandboxViolation("empty message", 0);
        if (template.length() > MAX_TEMPLATE_LENGTH) {
            throw new SandboxViolation("message too long (" + template.length() + " characters, at most "
                + MAX_TEMPLATE_LENGTH + ")", MAX_TEMPLATE_LENGTH);
        }
        Set<String> roots = new LinkedHashSet<>(), props = new LinkedHashSet<>(), fns = new LinkedHashSet<>();
        int n = template.length();
        for (int i = 0; i < n; i++) {
            char ch = template.charAt(i);
            if (ch != '@') continue;
            if (i + 1 >= n || template.charAt(i + 1) != '{') {
                int j = i + 1;
                while (j < n && Character.isLetter(template.charAt(j))) j++;
                String word = template.substring(i, j);
                throw new SandboxViolation(word.length() > 1
                    ? "template directive '" + word + "' is not allowed; only @{expression} segments are"
                    : "'@' must start an @{expression} segment", i);
            }
            int start = i + 2;
            int end = closingBrace(template, start);
            if (end < 0) throw new SandboxViolation("unterminated @{ segment", i);
            if (template.substring(start, end).isBlank()) throw new SandboxViolation("empty @{} segment", i);
            Checker c = new Checker(template, start, end, true);
            c.run();
            roots.addAll(c.roots);
            props.addAll(c.properties);
            fns.addAll(c.functions);
            i = end;
        }
        return new ExpressionInfo(Collections.unmodifiableSet(roots), Collections.unmodifiableSet(props),
            Collections.unmodifiableSet(fns));
    }

    /** Index of the '}' closing an @{ segment, skipping string literals; -1 if none. */
    private static int closingBrace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\'' || ch == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != ch) j++;
                if (j >= s.length()) return -1;
                i = j;
            } else if (ch == '}') {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------ checker

    private static final int IDENT = 1, NUMBER = 2, STRING = 3, OP = 4;

    /** Open bracket on the checker's stack. */
    private static final class Frame {
        static final int GROUP = 0, CALL = 1, LIST = 2, INDEX = 3, PROJECTION = 4;
        final int type, position;
        final String callName;   // for CALL: "fn.x" or method name
        final int arity;         // for CALL
        final K result;          // kind of the value once closed
        int commas;
        int pendingTernary;
        boolean empty = true;

        Frame(int type, int position, String callName, int arity, K result) {
            this.type = type;
            this.position = position;
            this.callName = callName;
            this.arity = arity;
            this.result = result;
        }
    }

    private static final class Checker {
        private final String s;
        private final int from, to;
        private final boolean inTemplate;
        // token arrays
        private int[] kind = new int[32], start = new int[32], end = new int[32];
        private int count;
        final Set<String> roots = new LinkedHashSet<>(), properties = new LinkedHashSet<>(),
            functions = new LinkedHashSet<>();

        Checker(String s, int from, int to, boolean inTemplate) {
            this.s = s;
            this.from = from;
            this.to = to;
            this.inTemplate = inTemplate;
        }

        ExpressionInfo info() {
            return new ExpressionInfo(Collections.unmodifiableSet(roots), Collections.unmodifiableSet(properties),
                Collections.unmodifiableSet(functions));
        }

        /**
         * Lexical refusals (assignment, ';', blocks, '@', …) and dangerous words (new, loops, class names,
         * reflection) are reported first, the earliest of them, because they say what was attempted; only an
         * expression free of both gets the structural check (unknown names, misplaced operators, arity).
         */
        void run() throws SandboxViolation {
            SandboxViolation lex = null;
            try {
                tokenize();
            } catch (SandboxViolation v) {
                lex = v;   // tokens before the offending character are kept
            }
            SandboxViolation danger = dangerousWord();
            if (lex != null || danger != null) {
                throw lex == null ? danger : danger == null ? lex : danger.position() <= lex.position() ? danger : lex;
            }
            check();
        }

        private SandboxViolation dangerousWord() {
            for (int t = 0; t < count; t++) {
                if (kind[t] != IDENT) continue;
                String w = text(t);
                String msg = DENIED.get(w);
                if (msg != null) return new SandboxViolation(msg, start[t]);
                if (Character.isUpperCase(w.charAt(0)) && !(t > 0 && isOp(t - 1, "."))) {
                    return new SandboxViolation("class name '" + w + "' is not allowed", start[t]);
                }
            }
            return null;
        }

        private void add(int k, int st, int en) {
            if (count == kind.length) {
                kind = java.util.Arrays.copyOf(kind, count * 2);
                start = java.util.Arrays.copyOf(start, count * 2);
                end = java.util.Arrays.copyOf(end, count * 2);
            }
            kind[count] = k;
            start[count] = st;
            end[count] = en;
            count++;
        }

        private String text(int t) {
            return s.substring(start[t], end[t]);
        }

        private boolean isOp(int t, String op) {
            return t < count && kind[t] == OP && s.regionMatches(start[t], op, 0, op.length())
                && end[t] - start[t] == op.length();
        }

        // ------------------------------------------------------------------------------------ tokenizer

        private void tokenize() throws SandboxViolation {
            int i = from;
            while (i < to) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    i++;
                } else if (c == '\'' || c == '"') {
                    int j = i + 1;
                    while (j < to && s.charAt(j) != c) {
                        char d = s.charAt(j);
                        // no escapes at all: the string ends at the next quote for us and for MVEL alike
                        if (d == '\\') throw new SandboxViolation("escape sequences ('\\') are not allowed in strings", j);
                        if (inTemplate && (d == '{' || d == '}' || d == '@')) {
                            throw new SandboxViolation("'" + d + "' is not allowed inside a string in a message"
                                + " expression", j);
                        }
                        j++;
                    }
                    if (j >= to) throw new SandboxViolation("unterminated string literal", i);
                    add(STRING, i, j + 1);
                    i = j + 1;
                } else if (c >= '0' && c <= '9') {
                    int j = i;
                    while (j < to && isDigit(s.charAt(j))) j++;
                    if (j + 1 < to && s.charAt(j) == '.' && isDigit(s.charAt(j + 1))) {
                        j++;
                        while (j < to && isDigit(s.charAt(j))) j++;
                    }
                    if (j < to && "BbDdFfLlIi".indexOf(s.charAt(j)) >= 0
                        && (j + 1 >= to || !isIdentPart(s.charAt(j + 1)))) {
                        j++;
                    }
                    if (j < to && (isIdentPart(s.charAt(j)) || s.charAt(j) == '.' && j + 1 < to
                        && isIdentPart(s.charAt(j + 1)) && !Character.isLetter(s.charAt(j + 1)))) {
                        throw new SandboxViolation("malformed number '" + s.substring(i, Math.min(to, j + 1)) + "'", i);
                    }
                    add(NUMBER, i, j);
                    i = j;
                } else if (isIdentStart(c)) {
                    int j = i + 1;
                    while (j < to && isIdentPart(s.charAt(j))) j++;
                    add(IDENT, i, j);
                    i = j;
                } else {
                    i = operator(i, c);
                }
            }
        }

        private int operator(int i, char c) throws SandboxViolation {
            char n = i + 1 < to ? s.charAt(i + 1) : '\0';
            String two = "" + c + n;
            switch (two) {
                case "==":
                    if (i + 2 < to && s.charAt(i + 2) == '=') throw new SandboxViolation("'===' is not an operator", i);
                    // fall through
                case "!=", "<=", ">=", "&&", "||":
                    add(OP, i, i + 2);
                    return i + 2;
                case "++", "--":
                    throw new SandboxViolation("increment/decrement ('" + two + "') is not allowed", i);
                case "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=":
                    throw new SandboxViolation("assignment ('" + two + "') is not allowed", i);
                case "<<", ">>":
                    throw new SandboxViolation("shift operators are not allowed", i);
                case "//", "/*":
                    throw new SandboxViolation("comments are not allowed", i);
                case "~=":
                    throw new SandboxViolation("regular expressions ('~=') are not allowed", i);
                case ".?", "?.":
                    throw new SandboxViolation("null-safe navigation ('" + two + "') is not allowed", i);
                default:
                    break;
            }
            switch (c) {
                case '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '(', ')', '[', ']', ',', '.':
                    add(OP, i, i + 1);
                    return i + 1;
                case '=':
                    throw new SandboxViolation("assignment ('=') is not allowed; use '==' to compare", i);
                case ';':
                    throw new SandboxViolation("multiple statements (';') are not allowed", i);
                case '{', '}':
                    throw new SandboxViolation("code blocks ('" + c + "') are not allowed", i);
                case '@':
                    throw new SandboxViolation("'@' is not allowed in an expression", i);
                case '$', '#', '`':
                    throw new SandboxViolation("'" + c + "' is not allowed", i);
                case '&', '|', '^', '~':
                    throw new SandboxViolation("bitwise operator '" + c + "' is not allowed", i);
                default:
                    throw new SandboxViolation("unexpected character '" + c + "'", i);
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentStart(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
        }

        private static boolean isIdentPart(char c) {
            return isIdentStart(c) || isDigit(c);
        }

        // ------------------------------------------------------------------------------------ structure

        private final ArrayList<Frame> stack = new ArrayList<>();
        private boolean expectOperand = true;
        private K current = K.VALUE;          // kind of the operand just completed
        private int topTernary;                // pending '?' outside any bracket

        private void check() throws SandboxViolation {
            if (count == 0) throw new SandboxViolation("empty expression", from);
            int t = 0;
            while (t < count) {
                t = step(t);
            }
            if (!stack.isEmpty()) {
                Frame f = stack.get(stack.size() - 1);
                throw new SandboxViolation("unbalanced '" + s.charAt(f.position) + "'", f.position);
            }
            if (expectOperand) throw new SandboxViolation("incomplete expression", to);
            if (topTernary != 0) throw new SandboxViolation("'?' without ':'", to);
        }

        private Frame top() {
            return stack.isEmpty() ? null : stack.get(stack.size() - 1);
        }

        private void operand(int t, K k) throws SandboxViolation {
            if (!expectOperand) throw new SandboxViolation("unexpected '" + text(t) + "' (missing operator?)", start[t]);
            Frame f = top();
            if (f != null) f.empty = false;
            expectOperand = false;
            current = k;
        }

        private int step(int t) throws SandboxViolation {
            switch (kind[t]) {
                case NUMBER:
                    operand(t, K.VALUE);
                    return t + 1;
                case STRING:
                    operand(t, K.VALUE);
                    return members(t + 1, null);
                case IDENT:
                    return identifier(t);
                default:
                    return op(t);
            }
        }

        private int identifier(int t) throws SandboxViolation {
            String name = text(t);
            if (name.equals("contains")) {
                if (expectOperand) throw new SandboxViolation("'contains' needs a left operand", start[t]);
                expectOperand = true;
                return t + 1;
            }
            if (name.equals("in")) throw new SandboxViolation("'in' is only allowed in a projection (prop in list)",
                start[t]);
            if (LITERAL_WORDS.contains(name)) {
                operand(t, K.VALUE);
                return t + 1;
            }
            if (!expectOperand) throw new SandboxViolation("unexpected '" + name + "' (missing operator?)", start[t]);
            // projection: '(' path 'in' …
            Frame f = top();
            if (f != null && f.type == Frame.GROUP && f.empty && t > 0 && isOp(t - 1, "(")) {
                int u = t;
                while (u + 2 < count && isOp(u + 1, ".") && kind[u + 2] == IDENT) u += 2;
                if (u + 1 < count && kind[u + 1] == IDENT && text(u + 1).equals("in")) {
                    for (int v = t; v <= u; v += 2) {
                        String p = text(v);
                        if (!PROJECTION_PROPERTIES.contains(p)) {
                            throw new SandboxViolation("unknown property '" + p + "' in projection", start[v]);
                        }
                    }
                    stack.set(stack.size() - 1, new Frame(Frame.PROJECTION, f.position, null, 0, K.LIST));
                    top().empty = false;
                    return u + 2;     // expect the collection next
                }
            }
            K k = ROOTS.get(name);
            if (k == null) {
                boolean upper = Character.isUpperCase(name.charAt(0));
                throw new SandboxViolation(upper ? "class name '" + name + "' is not allowed"
                    : "unknown identifier '" + name + "'", start[t]);
            }
            if (isOp(t + 1, "(")) throw new SandboxViolation("'" + name + "' is not a function", start[t]);
            roots.add(name);
            operand(t, k);
            return members(t + 1, name);
        }

        /** Consumes '.member', '.method(' and '[index]' chains after an operand. */
        private int members(int t, String rootName) throws SandboxViolation {
            while (t < count && isOp(t, ".")) {
                if (t + 1 >= count || kind[t + 1] != IDENT) {
                    throw new SandboxViolation("expected a property or method name after '.'", start[t]);
                }
                int m = t + 1;
                String name = text(m);
                boolean call = isOp(m + 1, "(");
                if (current == K.FN) {
                    Integer arity = FN_ARITY.get(name);
                    if (arity == null) throw new SandboxViolation("unknown function 'fn." + name + "'", start[m]);
                    if (!call) throw new SandboxViolation("function 'fn." + name + "' must be called", start[m]);
                    functions.add(name);
                    stack.add(new Frame(Frame.CALL, start[m + 1], "fn." + name, arity, FN_RESULT.get(name)));
                    expectOperand = true;
                    return m + 2;
                }
                if (call) {
                    Integer arity = METHOD_ARITY.get(name);
                    if (arity == null) throw new SandboxViolation("method '" + name + "()' is not allowed", start[m]);
                    stack.add(new Frame(Frame.CALL, start[m + 1], name, arity, K.VALUE));
                    expectOperand = true;
                    return m + 2;
                }
                if (current == K.MAP) {
                    current = K.VALUE;
                } else {
                    Map<String, K> allowed = PROPERTIES.get(current);
                    K k = allowed == null ? null : allowed.get(name);
                    if (k == null) {
                        throw new SandboxViolation(allowed == null
                            ? "property '" + name + "' is not allowed here (only size(), isEmpty(), contains(x),"
                                + " startsWith(s), endsWith(s), length())"
                            : "unknown property '" + name + "'" + (rootName != null ? " of '" + rootName + "'" : ""),
                            start[m]);
                    }
                    if (rootName != null) properties.add(rootName + "." + name);
                    current = k;
                }
                rootName = null;
                t = m + 1;
            }
            return t;
        }

        private int op(int t) throws SandboxViolation {
            String o = text(t);
            Frame f = top();
            switch (o) {
                case "(":
                    if (!expectOperand) throw new SandboxViolation("unexpected '('", start[t]);
                    if (f != null) f.empty = false;
                    stack.add(new Frame(Frame.GROUP, start[t], null, 0, K.VALUE));
                    return t + 1;
                case "[":
                    if (f != null) f.empty = false;
                    if (expectOperand) {
                        stack.add(new Frame(Frame.LIST, start[t], null, 0, K.LIST));
                    } else {
                        if (current != K.LINES && current != K.DIAGNOSES && current != K.LIST && current != K.MAP) {
                            throw new SandboxViolation("'[' index only on lists and on kp/param", start[t]);
                        }
                        K element = current == K.LINES ? K.LINE : current == K.DIAGNOSES ? K.DIAGNOSIS : K.VALUE;
                        stack.add(new Frame(Frame.INDEX, start[t], null, 0, element));
                        expectOperand = true;
                    }
                    return t + 1;
                case ")", "]":
                    return close(t, o.charAt(0));
                case ",":
                    if (f == null || (f.type != Frame.CALL && f.type != Frame.LIST)) {
                        throw new SandboxViolation("unexpected ','", start[t]);
                    }
                    if (expectOperand) throw new SandboxViolation("missing value before ','", start[t]);
                    if (f.pendingTernary != 0) throw new SandboxViolation("'?' without ':'", start[t]);
                    f.commas++;
                    expectOperand = true;
                    return t + 1;
                case "?":
                    if (expectOperand) throw new SandboxViolation("'?' needs a condition", start[t]);
                    if (f == null) topTernary++; else f.pendingTernary++;
                    expectOperand = true;
                    return t + 1;
                case ":":
                    if (expectOperand) throw new SandboxViolation("missing value before ':'", start[t]);
                    if (f == null) {
                        if (topTernary == 0) throw new SandboxViolation("':' without '?'", start[t]);
                        topTernary--;
                    } else if (f.pendingTernary > 0) {
                        f.pendingTernary--;
                    } else if (f.type != Frame.LIST) {
                        throw new SandboxViolation("':' without '?'", start[t]);
                    }
                    expectOperand = true;
                    return t + 1;
                case "!":
                    if (!expectOperand) throw new SandboxViolation("unexpected '!'", start[t]);
                    return t + 1;
                case "-", "+":
                    if (expectOperand) return t + 1;   // unary sign
                    expectOperand = true;
                    return t + 1;
                case ".":
                    throw new SandboxViolation("unexpected '.'", start[t]);
                default:   // binary: == != < > <= >= && || * / %
                    if (expectOperand) throw new SandboxViolation("unexpected '" + o + "'", start[t]);
                    expectOperand = true;
                    return t + 1;
            }
        }

        private int close(int t, char c) throws SandboxViolation {
            Frame f = top();
            if (f == null) throw new SandboxViolation("unbalanced '" + c + "'", start[t]);
            boolean paren = c == ')';
            boolean frameParen = f.type == Frame.GROUP || f.type == Frame.CALL || f.type == Frame.PROJECTION;
            if (paren != frameParen) throw new SandboxViolation("mismatched '" + c + "'", start[t]);
            if (f.pendingTernary != 0) throw new SandboxViolation("'?' without ':'", start[t]);
            stack.remove(stack.size() - 1);
            switch (f.type) {
                case Frame.CALL: {
                    if (expectOperand && !f.empty) throw new SandboxViolation("missing argument", start[t]);
                    int args = f.empty ? 0 : f.commas + 1;
                    if (args != f.arity) {
                        throw new SandboxViolation(f.callName + "() takes " + f.arity + " argument"
                            + (f.arity == 1 ? "" : "s") + ", not " + args, f.position);
                    }
                    break;
                }
                case Frame.LIST:
                    if (expectOperand && !f.empty) throw new SandboxViolation("missing list element", start[t]);
                    break;
                default:
                    if (expectOperand) throw new SandboxViolation("missing value before '" + c + "'", start[t]);
            }
            expectOperand = false;
            current = f.type == Frame.GROUP ? K.VALUE : f.result;
            return members(t + 1, null);
        }
    }
}
