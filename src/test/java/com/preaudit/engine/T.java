package com.preaudit.engine;

import com.preaudit.engine.model.Action;
import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.MatchOn;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.ResultType;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.engine.model.RuleTest;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Scope;
import com.preaudit.engine.model.Stage;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Test data for the engine's tests (records have many fields; tests set only what matters): orders as a HIS sends them
 * ({@link #req()}, {@link #line}), rules ({@link #rule}) and knowledge sets ({@link #csv}). The one request builder of the
 * engine's tests, also those of the default and national catalogs in {@code engine.rules}.
 */
public final class T {
    public static final LocalDateTime NOW = LocalDateTime.of(2025, 6, 14, 15, 0);

    private T() {}

    public static KnowledgeSet csv(String name, String text) {
        return KnowledgeCsv.parse(name, new StringReader(text));
    }

    public static AuditOptions at(LocalDateTime now) {
        return new AuditOptions(now, true, null);
    }

    // ------------------------------------------------------------------------------------ lines

    /** One order line; without {@link #at} it carries no time (the engine then takes the audit's). */
    public static final class L {
        private final String id, itemCode;
        private String itemName, itemType, departmentCode, prescriptionNo, encounterId;
        private BigDecimal quantity = BigDecimal.ONE, unitPrice, listPrice, amount;
        private LocalDateTime orderedAt;
        private Integer days;
        private Boolean dischargeMedication, selfPay;

        L(String id, String code) {
            this.id = id;
            this.itemCode = code;
        }

        public L name(String v) { itemName = v; return this; }
        public L type(String v) { itemType = v; return this; }
        public L drug(String name) { itemName = name; itemType = "DRUG"; return this; }
        public L herb(String name) { itemName = name; itemType = "HERB"; return this; }
        public L service(String name) { itemName = name; itemType = "SERVICE"; return this; }
        public L material(String name) { itemName = name; itemType = "MATERIAL"; return this; }
        public L qty(String v) { quantity = v == null ? null : new BigDecimal(v); return this; }
        public L price(String unit, String list) { unitPrice = new BigDecimal(unit); listPrice = new BigDecimal(list); return this; }
        public L amount(String v) { amount = v == null ? null : new BigDecimal(v); return this; }
        public L at(String iso) { orderedAt = iso == null ? null : LocalDateTime.parse(iso); return this; }
        public L days(Integer v) { days = v; return this; }
        public L dept(String v) { departmentCode = v; return this; }
        public L rx(String v) { prescriptionNo = v; return this; }
        public L selfPay(boolean v) { selfPay = v; return this; }
        public L dischargeMedication() { dischargeMedication = true; return this; }
        public L enc(String v) { encounterId = v; return this; }

        Line build() {
            return new Line(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days,
                departmentCode, null, prescriptionNo, null, dischargeMedication, selfPay, encounterId);
        }
    }

    public static L line(String id, String code) {
        return new L(id, code);
    }

    // ------------------------------------------------------------------------------------ requests

    /** An order: a man born 1980 insured as an employee, outpatient, PRE_ORDER, at a level-3 hospital, no department. */
    public static final class Q {
        private Stage stage = Stage.PRE_ORDER;
        private Scenario scenario = Scenario.OUTPATIENT;
        private Hospital hospital = new Hospital("H1", 3);
        private String gender = "M", insurance = "EMPLOYEE", pregnancy;
        private LocalDate birth = LocalDate.of(1980, 1, 1);
        private List<String> chronic;
        private String encounterId = "E1", departmentCode;
        private LocalDateTime admitted, discharged;
        private final List<Diagnosis> diagnoses = new ArrayList<>();
        private final List<Line> lines = new ArrayList<>(), history = new ArrayList<>();

        public Q stage(Stage s) { stage = s; return this; }
        public Q scenario(Scenario s) { scenario = s; return this; }
        public Q level(Integer l) { hospital = new Hospital("H1", l); return this; }
        public Q gender(String g) { gender = g; return this; }
        public Q insurance(String i) { insurance = i; return this; }
        public Q birth(String isoDate) { birth = isoDate == null ? null : LocalDate.parse(isoDate); return this; }
        public Q chronic(String... c) { chronic = List.of(c); return this; }
        public Q admitted(String iso) { admitted = LocalDateTime.parse(iso); return this; }
        public Q discharged(String iso) { discharged = LocalDateTime.parse(iso); return this; }
        public Q department(String code) { departmentCode = code; return this; }
        /** Diagnoses by code only (named 诊断+code); the first is the primary one. */
        public Q dx(String... codes) {
            for (String c : codes) diagnoses.add(new Diagnosis(c, "诊断" + c, diagnoses.isEmpty()));
            return this;
        }
        public Q diagnosis(String code, String name) { diagnoses.add(new Diagnosis(code, name, diagnoses.isEmpty())); return this; }
        public Q lines(L... ls) { for (L l : ls) lines.add(l.build()); return this; }
        public Q history(L... ls) { for (L l : ls) history.add(l.build()); return this; }

        public AuditInput build() {
            return new AuditInput("req", stage, scenario, hospital,
                new Patient("P1", gender, birth, insurance, pregnancy, chronic),
                new Encounter(encounterId, admitted, discharged, departmentCode, "DOC1", List.copyOf(diagnoses)), lines, history);
        }
    }

    public static Q req() {
        return new Q();
    }

    // ------------------------------------------------------------------------------------ rules

    static final class R {
        String code = "R1", name = "测试规则", set, when = "true", message = "@{line.itemName}违规", source = "政策依据";
        ResultType resultType = ResultType.VIOLATION;
        Map<Stage, Action> actions = new EnumMap<>(Map.of(Stage.PRE_ORDER, Action.BLOCK));
        List<Scenario> scenarios;
        List<String> insuranceTypes, itemTypes;
        List<Integer> levels;
        LocalDate from, to;
        Map<String, Object> params = Map.of();
        Scope scope;
        MatchOn matchOn;
        List<RuleTest> tests;
        Boolean enabled;

        R(String code) { this.code = code; }
        R set(String v) { set = v; return this; }
        R when(String v) { when = v; return this; }
        R message(String v) { message = v; return this; }
        R source(String v) { source = v; return this; }
        R name(String v) { name = v; return this; }
        R actions(Stage s, Action a) { actions = new EnumMap<>(Map.of(s, a)); return this; }
        R action(Stage s, Action a) { actions.put(s, a); return this; }
        R scenarios(Scenario... s) { scenarios = Arrays.asList(s); return this; }
        R insurance(String... s) { insuranceTypes = Arrays.asList(s); return this; }
        R levels(Integer... l) { levels = Arrays.asList(l); return this; }
        R itemTypes(String... t) { itemTypes = Arrays.asList(t); return this; }
        R dates(String f, String t) {
            from = f == null ? null : LocalDate.parse(f);
            to = t == null ? null : LocalDate.parse(t);
            return this;
        }
        R params(Map<String, Object> p) { params = p; return this; }
        R scope(Scope s) { scope = s; return this; }
        R matchOn(MatchOn m) { matchOn = m; return this; }
        R tests(RuleTest... t) { tests = Arrays.asList(t); return this; }
        R enabled(Boolean e) { enabled = e; return this; }
        R type(ResultType t) { resultType = t; return this; }

        RuleDefinition build() {
            return new RuleDefinition(code, name, null, "类", resultType, actions, scenarios, insuranceTypes, levels,
                from, to, source, params, set, scope, matchOn, itemTypes, when, message, tests, enabled);
        }
    }

    static R rule(String code) {
        return new R(code);
    }

    /** A LINE rule that fires on every line for which {@code when} holds. */
    static R lineRule(String code, String when) {
        return new R(code).scope(Scope.LINE).when(when);
    }

    static CatalogSnapshot snapshot(Map<String, KnowledgeSet> sets, R... rules) {
        List<RuleDefinition> defs = new ArrayList<>();
        for (R r : rules) defs.add(r.build());
        return CatalogSnapshot.compile(1, defs, sets);
    }
}
