package com.preaudit.engine.rules;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Diagnosis;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Hospital;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.model.Patient;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** A small builder for audit requests as a HIS would send them. */
final class Orders {
    private Orders() {}

    static Req order() {
        return new Req();
    }

    static L line(String id, String itemCode) {
        return new L(id, itemCode);
    }

    static final class Req {
        private Stage stage = Stage.PRE_ORDER;
        private Scenario scenario = Scenario.OUTPATIENT;
        private Integer hospitalLevel = 3;
        private String gender = "M";
        private LocalDate birthDate = LocalDate.of(1980, 1, 1);
        private String insuranceType = "EMPLOYEE";
        private List<String> chronicDiseases;
        private String encounterId = "E1";
        private LocalDateTime admittedAt, dischargedAt;
        private String departmentCode;
        private final List<Diagnosis> diagnoses = new ArrayList<>();
        private final List<L> lines = new ArrayList<>();
        private final List<L> history = new ArrayList<>();

        Req stage(Stage s) { stage = s; return this; }
        Req scenario(Scenario s) { scenario = s; return this; }
        Req hospitalLevel(Integer level) { hospitalLevel = level; return this; }
        Req gender(String g) { gender = g; return this; }
        Req born(String isoDate) { birthDate = isoDate == null ? null : LocalDate.parse(isoDate); return this; }
        Req insurance(String t) { insuranceType = t; return this; }
        Req chronic(String... icd) { chronicDiseases = List.of(icd); return this; }
        Req encounter(String id) { encounterId = id; return this; }
        Req admitted(String isoDateTime) { admittedAt = LocalDateTime.parse(isoDateTime); return this; }
        Req discharged(String isoDateTime) { dischargedAt = LocalDateTime.parse(isoDateTime); return this; }
        Req department(String code) { departmentCode = code; return this; }
        Req diagnosis(String code, String name) { diagnoses.add(new Diagnosis(code, name, diagnoses.isEmpty())); return this; }
        Req line(L l) { lines.add(l); return this; }
        Req history(L l) { history.add(l); return this; }

        AuditInput build() {
            Patient p = new Patient("P-" + gender, gender, birthDate, insuranceType, null, chronicDiseases);
            Encounter e = new Encounter(encounterId, admittedAt, dischargedAt, departmentCode, "D001",
                List.copyOf(diagnoses));
            return new AuditInput(null, stage, scenario, hospitalLevel == null ? null : new Hospital("H1", hospitalLevel),
                p, e, lines.stream().map(L::build).toList(), history.stream().map(L::build).toList());
        }
    }

    static final class L {
        private final String id, itemCode;
        private String itemName, itemType, departmentCode, prescriptionNo, encounterId;
        private BigDecimal quantity = BigDecimal.ONE, unitPrice, listPrice, amount;
        private LocalDateTime orderedAt = LocalDateTime.of(2025, 6, 14, 9, 0);
        private Integer days;
        private Boolean dischargeMedication, selfPay;

        L(String id, String itemCode) {
            this.id = id;
            this.itemCode = itemCode;
        }

        L name(String n) { itemName = n; return this; }
        L type(String t) { itemType = t; return this; }
        L drug(String n) { itemName = n; itemType = "DRUG"; return this; }
        L herb(String n) { itemName = n; itemType = "HERB"; return this; }
        L service(String n) { itemName = n; itemType = "SERVICE"; return this; }
        L material(String n) { itemName = n; itemType = "MATERIAL"; return this; }
        L qty(long q) { quantity = BigDecimal.valueOf(q); return this; }
        L amount(String a) { amount = new BigDecimal(a); return this; }
        L price(String unit, String list) { unitPrice = new BigDecimal(unit); listPrice = new BigDecimal(list); return this; }
        L at(String isoDateTime) { orderedAt = LocalDateTime.parse(isoDateTime); return this; }
        L days(int d) { days = d; return this; }
        L rx(String no) { prescriptionNo = no; return this; }
        L dept(String d) { departmentCode = d; return this; }
        L selfPay() { selfPay = true; return this; }
        L dischargeMedication() { dischargeMedication = true; return this; }
        L encounter(String e) { encounterId = e; return this; }

        Line build() {
            if (amount == null && unitPrice != null) amount = unitPrice.multiply(quantity);
            return new Line(id, itemCode, itemName, itemType, quantity, unitPrice, listPrice, amount, orderedAt, days,
                departmentCode, "D001", prescriptionNo, null, dischargeMedication, selfPay, encounterId);
        }
    }
}
