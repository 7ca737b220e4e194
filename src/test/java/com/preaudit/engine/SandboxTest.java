package com.preaudit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import com.preaudit.engine.sandbox.ExpressionInfo;
import com.preaudit.engine.sandbox.MvelHardening;
import com.preaudit.engine.sandbox.Sandbox;
import com.preaudit.engine.sandbox.SandboxViolation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mvel2.compiler.AbstractParser;

class SandboxTest {

    /** Hostile expression, a fragment the refusal message must contain, the 0-based position it must report. */
    static Stream<Arguments> hostile() {
        return Stream.of(
            Arguments.of("Runtime.getRuntime().exec('ls')", "Runtime", 0),
            Arguments.of("System.exit(0)", "System", 0),
            Arguments.of("java.lang.Runtime.getRuntime()", "java", 0),
            Arguments.of("''.getClass().forName('java.lang.Runtime')", "getClass", 3),
            Arguments.of("line.class", "class", 5),
            Arguments.of("new java.io.File('/etc/passwd')", "new", 0),
            Arguments.of("Thread.sleep(10000)", "Thread", 0),
            Arguments.of("while (true) {}", "while", 0),
            Arguments.of("def f() { 1 }", "def", 0),
            Arguments.of("patient.gender = 'F'", "assignment", 15),
            Arguments.of("line.quantity++", "increment", 13),
            Arguments.of("import java.io.*; 1", "import", 0),
            // our own
            Arguments.of("Class.forName('java.lang.Runtime')", "Class", 0),
            Arguments.of("patient.getClass()", "getClass", 8),
            Arguments.of("fn.getClass()", "getClass", 3),
            Arguments.of("kp.getClass()", "getClass", 3),
            Arguments.of("kp.class", "class", 3),
            Arguments.of("java.lang.System.getProperty('x')", "java", 0),
            Arguments.of("for (x : lines) {}", "for", 0),
            Arguments.of("foreach (x : lines) { x }", "foreach", 0),
            Arguments.of("do { 1 } while (true)", "do", 0),
            Arguments.of("until (false) { 1 }", "until", 0),
            Arguments.of("if (true) { 1 } else { 2 }", "if", 0),
            Arguments.of("$x == 1", "$", 0),
            Arguments.of("line.id == #x", "#", 11),
            Arguments.of("`ls`", "`", 0),
            Arguments.of("@{System.exit(0)}", "@", 0),
            Arguments.of("lines.{ x = 1 }", "{", 6),
            Arguments.of("Object", "Object", 0),
            Arguments.of("ClassLoader", "ClassLoader", 0),
            Arguments.of("java.nio.file.Files.delete(java.nio.file.Paths.get('/tmp/x'))", "java", 0),
            Arguments.of("a; b", ";", 1),
            Arguments.of("patient.gender == 'F'; true", ";", 21),
            Arguments.of("with (patient) { gender = 'F' }", "with", 0),
            Arguments.of("line.itemCode.getBytes()", "getBytes", 14),
            Arguments.of("line.getItemCode() == 'x'", "getItemCode", 5),
            Arguments.of("line.orderedAt.toLocalDate() != null", "toLocalDate", 15),
            Arguments.of("line.quantity += 1", "assignment", 14),
            Arguments.of("line.quantity-- > 0", "decrement", 13),
            Arguments.of("function f() { 1 }", "function", 0),
            Arguments.of("line.itemCode ~= '.*'", "regular expressions", 14),
            Arguments.of("patient.gender == 'F' // hidden", "comments", 22),
            Arguments.of("fn.exec('ls')", "exec", 3),
            Arguments.of("fn.evaluate('1')", "fn.evaluate", 3),
            Arguments.of("fn.quantityIn(line)", "takes 2 arguments", 13),
            Arguments.of("(class in lines)", "class", 1),
            Arguments.of("(bytes in lines).size() > 0", "bytes", 1),
            Arguments.of("lines[0].getClass()", "getClass", 9),
            Arguments.of("kp.x.y == 1", "'y'", 5),
            Arguments.of("patient.secret == 1", "secret", 8),
            Arguments.of("foo == 1", "unknown identifier 'foo'", 0),
            Arguments.of("String.valueOf(1) == '1'", "String", 0),
            Arguments.of("Math.max(1, 2) > 1", "Math", 0),
            Arguments.of("this.x", "this", 0),
            Arguments.of("line.itemCode == 'x' || isdef foo", "isdef", 24),
            Arguments.of("line instanceof Object", "instanceof", 5),
            Arguments.of("patient.gender == 'F' && ", "incomplete", 25),
            Arguments.of("patient.gender == 'F", "unterminated string", 18),
            Arguments.of("(patient.gender == 'F'", "unbalanced", 0),
            Arguments.of("patient gender", "gender", 8),
            Arguments.of("line.quantity & 1", "bitwise", 14),
            Arguments.of("line.quantity << 2", "shift", 14),
            Arguments.of("return true", "return", 0),
            Arguments.of("var x = 1", "var", 0),
            Arguments.of("line.itemCode.?length()", "null-safe", 13),
            Arguments.of("x = 1", "assignment", 2),
            Arguments.of("line.itemCode == '\\' + 1 + '", "escape", 18),
            Arguments.of("line['class'] != null", "index only", 4),
            Arguments.of("line['itemCode'] != null", "index only", 4),
            Arguments.of("patient.gender[0] == 'F'", "index only", 14),
            Arguments.of("lines.size() == 1 \n System.exit(0)", "System", 20),
            Arguments.of("patient.ageYears > 1" + " && patient.ageYears > 1".repeat(250), "too long", 2000));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostile")
    void hostileExpressionsAreRefusedWithWhatAndWhere(String expr, String fragment, int position) {
        SandboxViolation v = assertThrows(SandboxViolation.class, () -> Sandbox.checkExpression(expr));
        assertTrue(v.getMessage().contains(fragment), () -> "message '" + v.getMessage() + "' should name " + fragment);
        assertEquals(position, v.position(), () -> "position of: " + v.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostile")
    void hostileExpressionsFailValidationAndCatalogCompileSoNothingRuns(String expr, String fragment, int position) {
        RuleDefinition r = rule(expr, "x");
        List<Problem> problems = RuleValidator.validate(r, null);
        assertEquals(1, problems.size(), problems::toString);
        Problem p = problems.get(0);
        assertEquals("when", p.field());
        assertEquals("R1", p.ruleCode());
        assertEquals(position, p.position());
        assertTrue(p.message().contains(fragment), p.message());
        CatalogCompileException e = assertThrows(CatalogCompileException.class,
            () -> CatalogSnapshot.compile(1, List.of(r), Map.of()));
        assertEquals(problems, e.problems());
    }

    @Test
    void fiveThousandCharacterExpressionIsRefused() {
        String expr = "1 == 1" + " && 1 == 1".repeat(500);
        assertTrue(expr.length() > 5000);
        SandboxViolation v = assertThrows(SandboxViolation.class, () -> Sandbox.checkExpression(expr));
        assertTrue(v.getMessage().contains("too long"), v.getMessage());
    }

    static Stream<Arguments> hostileTemplates() {
        return Stream.of(
            Arguments.of("超量 @code{ System.exit(0) }", "@code", 3),
            Arguments.of("@{line.itemName} @foreach{lines as l}@{l.id}@end{}", "@foreach", 17),
            Arguments.of("@if{true}x@end{}", "@if", 0),
            Arguments.of("@include{'/etc/passwd'}", "@include", 0),
            Arguments.of("@declare{'x'}y@end{}", "@declare", 0),
            Arguments.of("@comment{ x }", "@comment", 0),
            Arguments.of("mail me@example", "@example", 7),
            Arguments.of("@{System.exit(0)}", "System", 2),
            Arguments.of("药品 @{''.getClass()}", "getClass", 8),
            Arguments.of("@{line.itemName; 1}", ";", 15),
            Arguments.of("@{line.itemName", "unterminated", 0),
            Arguments.of("@{'}'}", "'}'", 3),
            Arguments.of("@{'\\n'}", "escape", 3),
            Arguments.of("@{}", "empty", 0),
            Arguments.of("x".repeat(1001), "too long", 1000));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileTemplates")
    void hostileTemplatesAreRefused(String template, String fragment, int position) {
        SandboxViolation v = assertThrows(SandboxViolation.class, () -> Sandbox.checkTemplate(template));
        assertTrue(v.getMessage().contains(fragment), () -> "message '" + v.getMessage() + "' should name " + fragment);
        assertEquals(position, v.position(), v::getMessage);
        List<Problem> problems = RuleValidator.validate(rule("true", template), null);
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("message", problems.get(0).field());
        assertEquals(position, problems.get(0).position());
    }

    /** Expressions of the kind PRODUCT.md §5 and §7 need. */
    static Stream<String> allowed() {
        return Stream.of(
            "patient.gender != 'U' && patient.gender != kp.gender",
            "fn.ageYears(line) >= param.childAgeLimit",
            "patient.ageYears >= param.childAgeLimit",
            "kp.population == 'WORKING_AGE' && (fn.ageYears(line) < param.minAge || fn.ageYears(line) >= param.maxAge)",
            "patient.insuranceType != 'WORK_INJURY'",
            "patient.insuranceType != kp.insurance_type",
            "!fn.inList(kp.care_modes, scenario)",
            "hospital.level < kp.min_hospital_level",
            "scenario == 'INTERNET'",
            "line.selfPay != true",
            "fn.allHerbsOfPrescriptionInSet(line)",
            "kp.diagnosis_codes == null || !fn.hasDiagnosis(kp.diagnosis_codes)",
            "!fn.historyHasOtherAtcDrug(line)",
            "kp.max_days != null && fn.distinctDays(line) > kp.max_days",
            "(kp.max_days != null && fn.daysSinceFirstUse(line) > kp.max_days) || (kp.min_interval_days != null"
                + " && fn.daysSinceLastUse(line) >= 0 && fn.daysSinceLastUse(line) < kp.min_interval_days)",
            "fn.pairChargedEarlierSameDay(line)",
            "fn.quantityIn(line, kp.per) > kp.max_count",
            "fn.quantityLastDays(line, 7) > 3",
            "fn.sameGroupEarlierSameDay(line, 'group') >= 1 && line.unitPrice > param.discountRatio * line.listPrice",
            "diagnosis.code.startsWith('O') && patient.gender == 'M'",
            "kp.gender != patient.gender",
            "scenario == 'OUTPATIENT' && line.days != null && line.days > (patient.chronicDiseases.isEmpty()"
                + " ? param.maxDays : param.chronicMaxDays)",
            "scenario == 'OUTPATIENT' && fn.drugsInPrescription(line).size() > param.maxDrugs",
            "fn.sameGenericOverlap(line) || fn.sameAtcOverlap(line)",
            "line.amount > param.maxLineAmount || fn.requestTotal() > param.maxTotal",
            "!fn.inList(kp.departments, line.departmentCode)",
            "!fn.sameDayHasCode(line, kp.requires)",
            "scenario == 'INPATIENT' && (fn.isBefore(line.orderedAt, encounter.admittedAt)"
                + " || fn.isAfter(line.orderedAt, encounter.dischargedAt))",
            "!fn.anyMatches(patient.chronicDiseases, kp.disease_codes)",
            "fn.encounterTotal() > param.maxTotal || fn.encounterTotalOfTypes('DRUG|HERB') > fn.encounterTotal() * 0.4",
            "fn.encounterSelfPayTotal() > fn.dec(param.maxSelfPay)",
            "fn.daysBetween(fn.firstUseDate(line), fn.lineDate(line)) > 30 && fn.lastUseDate(line) != null",
            "fn.sameDayLines(line).size() > 1 && fn.prescriptionLines(line).size() >= 1",
            "fn.codeMatches(fn.diagnosisMatching('O00-O9A|N70*'), 'O') && fn.atc(line.itemCode) == fn.generic('X')",
            "(itemCode in lines).contains('X') && (code in encounter.diagnoses).size() > 0",
            "['OUTPATIENT', 'EMERGENCY'].contains(scenario)",
            "kp.care_modes contains scenario",
            "-1 < 0 && line.quantity * line.unitPrice > 100.5 && line.quantity % 2 == 1 && 7 / 2 > 3",
            "stage == 'PRE_ORDER' && history.size() > 0 && !lines.isEmpty() && line.itemName.length() > 2",
            "line.itemCode.endsWith('01') ? true : false",
            "kp.item_codes != empty && kp.kp_id != null && kp['constraint_text'] != null",
            "lines[0].itemCode == line.itemCode && encounter.diagnoses[0].code != null",
            "'System.exit(0)' != line.itemCode && \"Runtime.getRuntime()\" != line.itemName",
            "fn.ageDays(line) < 28 && patient.ageDays >= 0 && patient.pregnancy != 'PREGNANT'",
            "hospital.id != null && encounter.departmentCode == line.departmentCode && line.doctorId != encounter.doctorId",
            "line.orderedDate != null && line.prescriptionNo != null && line.groupNo == '' && !line.dischargeMedication",
            "line.encounterId == null && line.itemType == 'DRUG' && line.listPrice >= line.unitPrice && line.id != ''");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("allowed")
    void allowedExpressionsPassSandboxAndCompile(String expr) throws Exception {
        Sandbox.checkExpression(expr);
        assertEquals(List.of(), RuleValidator.validate(rule(expr, "@{line.itemName}超限"), null));
    }

    @Test
    void allowedTemplatesPass() throws Exception {
        String t = "@{line.itemName}限@{kp.gender == 'F' ? '女' : '男'}性使用，患者性别为@{patient.gender == 'F' ? '女' : '男'}";
        ExpressionInfo info = Sandbox.checkTemplate(t);
        assertTrue(info.roots().containsAll(Set.of("line", "kp", "patient")));
        Sandbox.checkTemplate("没有表达式的提示 100% {x} \\ $ #");
        Sandbox.checkTemplate("数量 @{fn.quantityIn(line, 'DAY')} 超过 @{kp.max_count} 次/日");
    }

    @Test
    void scanCollectsHistoryDependenceAndAgeNeeds() throws Exception {
        assertTrue(Sandbox.checkExpression("fn.quantityIn(line, 'DAY') > 1").historyDependent());
        assertTrue(Sandbox.checkExpression("history.size() > 0").historyDependent());
        assertTrue(Sandbox.checkExpression("fn.encounterTotal() > 1").historyDependent());
        assertFalse(Sandbox.checkExpression("fn.requestTotal() > 1 && line.itemCode == 'history'").historyDependent());
        assertTrue(Sandbox.checkExpression("patient.ageYears > 1").needsBirthDate());
        assertTrue(Sandbox.checkExpression("fn.ageDays(line) > 1").needsBirthDate());
        assertFalse(Sandbox.checkExpression("patient.gender == 'F'").needsBirthDate());
        assertEquals(Set.of("patient.gender", "line.itemCode"),
            Sandbox.checkExpression("patient.gender == 'F' && line.itemCode == 'x'").properties());
    }

    // ------------------------------------------------------------------------------ second layer (MVEL itself)

    @Test
    void builtinClassLiteralsAreRemovedFromMvel() {
        assertTrue(MvelHardening.CLASS_LITERALS_REMOVED);
        for (String n : List.of("System", "Runtime", "Class", "ClassLoader", "Thread", "Object", "Array")) {
            assertFalse(AbstractParser.LITERALS.containsKey(n), n);
            assertFalse(AbstractParser.CLASS_LITERALS.containsKey(n), n);
        }
        assertTrue(AbstractParser.LITERALS.containsKey("true"));
        assertTrue(AbstractParser.LITERALS.containsKey("null"));
    }

    /** Bypasses the allow-list on purpose: MVEL itself must not reach these classes (harmless probes only). */
    static Stream<String> bypassProbes() {
        return Stream.of(
            "System.currentTimeMillis()",
            "Runtime.getRuntime().availableProcessors()",
            "java.lang.System.getProperty('user.home')",
            "java.lang.Runtime.getRuntime().availableProcessors()",
            "Class.forName('java.lang.String')",
            "Thread.currentThread().getName()",
            "new java.io.File('/tmp').exists()",
            "java.nio.file.Paths.get('/tmp')",
            "org.mvel2.MVEL.eval('1 + 1')");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("bypassProbes")
    void mvelCannotReachDangerousClassesEvenWithoutTheAllowList(String expr) {
        Object result;
        ClassLoader prev = MvelHardening.enter();   // as CatalogSnapshot.audit does
        try {
            var stmt = RuleCompiler.compileExpression(expr);
            var ctx = new com.preaudit.engine.runtime.AuditContext(input(), LocalDateTime.of(2025, 6, 1, 10, 0),
                new com.preaudit.engine.runtime.PatternCache());
            result = null;
            for (int i = 0; i < 3; i++) result = stmt.getValue(null, ctx.scope());
        } catch (Throwable expected) {
            return;   // refused at compile or run time: what we want
        } finally {
            MvelHardening.exit(prev);
        }
        fail("MVEL evaluated '" + expr + "' to " + result);
    }

    @Test
    void mvelCompileUsesAFreshContextEachTime() {
        var a = MvelHardening.newParserContext();
        var b = MvelHardening.newParserContext();
        assertFalse(a == b);
        assertFalse(a.getParserConfiguration() == b.getParserConfiguration());
        assertTrue(a.getParserConfiguration().getImports().isEmpty());
        assertNotNull(a.getParserConfiguration().getClassLoader());
        assertThrows(ClassNotFoundException.class, () -> MvelHardening.classLoader().loadClass("java.lang.Runtime"));
        assertThrows(ClassNotFoundException.class, () -> MvelHardening.classLoader().loadClass("java.io.File"));
    }

    @Test
    void stringContentsAreDataNotCode() throws Exception {
        ExpressionInfo i = Sandbox.checkExpression("line.itemName == 'System.exit(0); new java.io.File(\"x\")'");
        assertEquals(Set.of("line"), i.roots());
        // and it evaluates as a plain comparison
        RuleDefinition r0 = rule("line.itemName == 'System.exit(0)'", "@{line.itemName}");
        RuleDefinition r = new RuleDefinition(r0.code(), r0.name(), null, null, r0.resultType(), r0.actions(), null,
            null, null, null, null, null, null, null, Scope.LINE, null, null, r0.when(), r0.message(), null, null);
        CatalogSnapshot s = CatalogSnapshot.compile(1, List.of(r), Map.of());
        AuditInput in = new AuditInput("q", Stage.PRE_ORDER, null, null,
            new Patient("p", "F", LocalDate.of(1990, 1, 1), null, null, null), null,
            List.of(line("l1", "System.exit(0)")), null);
        AuditResult res = s.audit(in, new AuditOptions(LocalDateTime.of(2025, 6, 1, 9, 0), true, null));
        assertEquals(1, res.findings().size());
        assertEquals("System.exit(0)", res.findings().get(0).message());
    }

    static RuleDefinition rule(String when, String message) {
        return new RuleDefinition("R1", "rule", null, null, ResultType.VIOLATION, Map.of(Stage.PRE_ORDER, Action.WARN),
            null, null, null, null, null, "src", Map.of(), null, null, null, null, when, message, null, null);
    }

    static Line line(String id, String itemName) {
        return new Line(id, "X1", itemName, "DRUG", BigDecimal.ONE, null, null, BigDecimal.TEN, null, null, null, null,
            null, null, null, null, null);
    }

    static AuditInput input() {
        return new AuditInput("q", Stage.PRE_ORDER, null, null,
            new Patient("p", "F", LocalDate.of(1990, 1, 1), null, null, null), null, List.of(line("l1", "x")), null);
    }
}
