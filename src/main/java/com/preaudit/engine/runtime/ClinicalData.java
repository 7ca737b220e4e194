package com.preaudit.engine.runtime;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.Encounter;
import com.preaudit.engine.model.Line;
import com.preaudit.engine.sandbox.ExpressionInfo;
import java.util.Set;

/**
 * The optional clinical request data some rules need (dose, frequency, route, fee category, the doctor's antibiotic
 * privilege, pregnancy, procedures), as bits. A rule's expressions are scanned once at compile time for what they
 * read; each audit computes once which of the data it carries. A rule needing data the whole request lacks is
 * skipped with the reason before any evaluation, so requests without clinical data (most of them) pay one mask test
 * per rule instead of an exception per line. Data present on some lines only is decided per line by the getters,
 * which throw {@link MissingDataException} where the line lacks it.
 */
public final class ClinicalData {
    public static final int DOSE = 1, FREQUENCY = 2, ROUTE = 4, FEE_CATEGORY = 8, PRIVILEGE = 16, PREGNANCY = 32,
        PROCEDURES = 64;
    private static final String[] REASONS = {"line.dose missing", "line.frequency missing", "line.route missing",
        "line.feeCategory missing", "the doctor's antibiotic privilege (antibioticLevel or doctorTitle) missing",
        "patient.pregnancy missing", "encounter.procedures missing"};
    private static final Set<String> PROCEDURE_FUNCTIONS = Set.of("hasProcedure", "procedureMatching",
        "hoursSinceProcedure", "procedureOfOtherGender", "procedureWithoutDiagnosis");

    private ClinicalData() {}

    /** The data bits an expression reads. */
    public static int required(ExpressionInfo info) {
        Set<String> p = info.properties();
        Set<String> f = info.functions();
        int m = 0;
        if (p.contains("line.dose") || p.contains("line.dailyDose") || f.contains("doseIn") || f.contains("dailyDoseIn")) {
            m |= DOSE;
        }
        if (p.contains("line.frequency") || p.contains("line.timesPerDay") || p.contains("line.dailyDose")
            || f.contains("dailyDoseIn")) {
            m |= FREQUENCY;
        }
        if (p.contains("line.route")) m |= ROUTE;
        if (p.contains("line.feeCategory")) m |= FEE_CATEGORY;
        if (p.contains("line.antibioticLevel") || p.contains("line.doctorTitle")) m |= PRIVILEGE;
        if (p.contains("patient.pregnancy")) m |= PREGNANCY;
        if (p.contains("encounter.procedureCodes")) m |= PROCEDURES;
        for (String fn : f) if (PROCEDURE_FUNCTIONS.contains(fn)) m |= PROCEDURES;
        return m;
    }

    /** The data bits the request carries (on at least one request line, or on the encounter/patient). */
    static int present(AuditInput in) {
        int m = 0;
        Encounter e = in.encounter();
        if (e != null) {
            if (e.procedures() != null) m |= PROCEDURES;
            if (e.antibioticLevel() != null || e.doctorTitle() != null) m |= PRIVILEGE;
        }
        if (in.patient() != null && (in.patient().pregnancy() != null || "M".equals(in.patient().gender()))) {
            m |= PREGNANCY;
        }
        if (in.lines() != null) {
            for (Line l : in.lines()) {
                if (l == null) continue;
                if (l.dose() != null) m |= DOSE;
                if (l.frequency() != null || l.timesPerDay() != null) m |= FREQUENCY;
                if (l.route() != null) m |= ROUTE;
                if (l.feeCategory() != null) m |= FEE_CATEGORY;
                if (l.antibioticLevel() != null || l.doctorTitle() != null) m |= PRIVILEGE;
            }
        }
        return m;
    }

    /** The reason for the first missing bit. */
    public static String reason(int missing) {
        for (int i = 0; i < REASONS.length; i++) if ((missing & (1 << i)) != 0) return REASONS[i];
        return "clinical data missing";
    }

    /**
     * The highest antibiotic tier a doctor of this title can be granted (《抗菌药物临床应用管理办法》卫生部令第84号
     * 第二十四条: 高级职称 → 特殊使用级, 中级 → 限制使用级, 初级 → 非限制使用级), or null for an unknown title.
     */
    static Integer levelOfTitle(String title) {
        if (title == null) return null;
        return switch (title) {
            case "CHIEF", "ASSOCIATE_CHIEF" -> 3;
            case "ATTENDING" -> 2;
            case "RESIDENT", "ASSISTANT" -> 1;
            default -> null;
        };
    }
}
