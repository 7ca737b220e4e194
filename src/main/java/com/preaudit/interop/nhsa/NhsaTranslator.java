package com.preaudit.interop.nhsa;

import com.fasterxml.jackson.databind.JsonNode;
import com.preaudit.audit.AuditRequest;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * NHSA 3101/3102 {@code input.data} → one native audit request per encounter. Only translation:
 * every decision stays with the rules. Field names are those of the national interface.
 */
public final class NhsaTranslator {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** GB/T 2261.1 sex codes, as 3101 sends them in gend. */
    private static final java.util.Map<String, String> GENDERS = java.util.Map.of("1", "M", "2", "F", "0", "U", "9", "U");

    private final java.util.Map<String, Integer> hospitalLevels = new java.util.HashMap<>();
    private final java.util.Map<String, String> insuranceTypes;
    private final java.util.Map<String, String> medTypes;
    private final java.util.Map<String, String> mdtrtTypes;

    public NhsaTranslator(NhsaConfig config) {
        table(config.hospitalLevels()).forEach((k, v) -> hospitalLevels.put(k, Integer.valueOf(v)));
        this.insuranceTypes = table(config.insuranceTypes());
        this.medTypes = table(config.medTypes());
        this.mdtrtTypes = table(config.mdtrtTypes());
        medTypes.values().forEach(Scenario::valueOf); // fail at start-up on a mistyped scenario, not per request
        mdtrtTypes.values().forEach(Scenario::valueOf);
    }

    /** Parses {@code a=1,b=2}. */
    static java.util.Map<String, String> table(String spec) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** One encounter to audit, with the ids the response must echo. */
    public record EncounterAudit(String patientId, String encounterId, AuditRequest request) { }

    /** A field of the envelope that cannot be understood; becomes infcode -1. */
    public static final class EnvelopeException extends RuntimeException {
        public EnvelopeException(String message) {
            super(message);
        }
    }

    public List<EncounterAudit> translate(JsonNode data, Stage stage, String msgid) {
        JsonNode patients = data.path("patient_dtos");
        if (!patients.isArray() || patients.isEmpty()) {
            throw new EnvelopeException("input.data.patient_dtos 不能为空 (is required and must be a non-empty array)");
        }
        List<EncounterAudit> out = new ArrayList<>();
        for (int p = 0; p < patients.size(); p++) {
            JsonNode patient = patients.get(p);
            String path = "patient_dtos[" + p + "]";
            String patientId = required(patient, "patn_id", path);
            String gend = text(patient, "gend");
            String gender = gend.isEmpty() ? "U" : GENDERS.get(gend);
            if (gender == null) {
                throw new EnvelopeException(path + ".gend 性别代码无效 (must be one of 1 男, 2 女, 0 未知, 9 未说明): " + gend);
            }
            LocalDate birth = date(required(patient, "brdy", path), path + ".brdy");
            if (birth.isAfter(LocalDate.now().plusDays(1))) {
                throw new EnvelopeException(path + ".brdy 出生日期晚于今天 (must not be in the future): " + birth);
            }
            JsonNode encounters = patient.path("fsi_encounter_dtos");
            if (!encounters.isArray() || encounters.isEmpty()) {
                throw new EnvelopeException(path + ".fsi_encounter_dtos 不能为空 (is required)");
            }
            for (int e = 0; e < encounters.size(); e++) {
                JsonNode enc = encounters.get(e);
                String epath = path + ".fsi_encounter_dtos[" + e + "]";
                String mdtrtId = required(enc, "mdtrt_id", epath);
                List<AuditRequest.DiagnosisDto> diagnoses = new ArrayList<>();
                for (JsonNode d : iterable(enc.path("fsi_diagnose_dtos"))) {
                    String code = text(d, "dise_codg");
                    if (!code.isEmpty()) {
                        diagnoses.add(new AuditRequest.DiagnosisDto(code, nullIfEmpty(text(d, "dise_name")), "1".equals(text(d, "maindise_flag"))));
                    }
                }
                String mainDischarge = text(enc, "dscg_main_dise_codg");
                if (!mainDischarge.isEmpty() && diagnoses.stream().noneMatch(d -> d.code().equals(mainDischarge))) {
                    diagnoses.add(new AuditRequest.DiagnosisDto(mainDischarge, nullIfEmpty(text(enc, "dscg_main_dise_name")), true));
                }
                LocalDateTime admitted = dateTime(text(enc, "adm_date"), epath + ".adm_date");
                LocalDateTime discharged = dateTime(text(enc, "dscg_date"), epath + ".dscg_date");
                if (admitted != null && discharged != null && discharged.isBefore(admitted)) {
                    throw new EnvelopeException(epath + ".dscg_date 出院时间早于入院时间 (must not be before adm_date): " + text(enc, "dscg_date"));
                }
                if (admitted != null && admitted.toLocalDate().isBefore(birth)) {
                    throw new EnvelopeException(epath + ".adm_date 入院时间早于出生日期 (must not be before brdy): " + text(enc, "adm_date"));
                }
                String dept = nullIfEmpty(text(enc, "adm_dept_codg"));
                String doctor = nullIfEmpty(text(enc, "dr_codg"));
                List<AuditRequest.LineDto> lines = new ArrayList<>();
                List<AuditRequest.LineDto> history = new ArrayList<>();
                JsonNode orders = enc.path("fsi_order_dtos");
                for (int o = 0; o < orders.size(); o++) {
                    JsonNode order = orders.get(o);
                    AuditRequest.LineDto line = line(order, epath + ".fsi_order_dtos[" + o + "]", mdtrtId);
                    if ("0".equals(text(order, "curr_drord_flag"))) {
                        history.add(line);
                    } else {
                        lines.add(line);
                    }
                }
                if (lines.isEmpty()) {
                    continue; // nothing current to audit for this encounter
                }
                String hospitalLevel = text(enc, "medins_lv");
                Integer level = hospitalLevel.isEmpty() ? null : hospitalLevels.get(pad(hospitalLevel));
                AuditRequest request = new AuditRequest(
                        msgid == null ? null : "NHSA-" + msgid + "-" + mdtrtId,
                        stage,
                        scenario(enc),
                        new AuditRequest.HospitalDto(nullIfEmpty(text(enc, "medins_id")), level),
                        new AuditRequest.PatientDto(patientId, gender, birth, insurance(enc, patient),
                                "M".equals(gender) ? null : pregnancy(enc), List.of()),
                        new AuditRequest.EncounterDto(mdtrtId, admitted, discharged, dept, doctor, diagnoses,
                                procedures(enc, epath), null, null,
                                nullIfEmpty(text(enc, "adm_dept_name")), nullIfEmpty(text(enc, "dr_name"))),
                        lines, history);
                out.add(new EncounterAudit(patientId, mdtrtId, request));
            }
        }
        return out;
    }

    private AuditRequest.LineDto line(JsonNode o, String path, String mdtrtId) {
        String id = text(o, "rx_id");
        if (id.isEmpty()) {
            id = text(o, "drord_no");
        }
        if (id.isEmpty()) {
            throw new EnvelopeException(path + ".rx_id 不能为空 (is required)");
        }
        String code = required(o, "hilist_code", path);
        LocalDateTime begin = dateTime(text(o, "drord_begn_date"), path + ".drord_begn_date");
        LocalDateTime stop = dateTime(text(o, "drord_stop_date"), path + ".drord_stop_date");
        Integer days = null;
        String prd = text(o, "prd_days");
        if (!prd.isEmpty()) {
            days = (int) Math.round(number(prd, path + ".prd_days").doubleValue());
        } else if (begin != null && stop != null && !stop.isBefore(begin)) {
            days = (int) ChronoUnit.DAYS.between(begin.toLocalDate(), stop.toLocalDate()) + 1;
        }
        BigDecimal cnt = number(required(o, "cnt", path), path + ".cnt");
        // sin_dos_dscr is a description ("0.5g", "2 片"): the dose is taken only when it reads as number + unit
        String doseText = text(o, "sin_dos_dscr");
        java.util.regex.Matcher dose = DOSE.matcher(doseText);
        boolean hasDose = dose.matches() && new BigDecimal(dose.group(1)).signum() > 0;
        return new AuditRequest.LineDto(id, code, nullIfEmpty(text(o, "hilist_name")), itemType(o),
                cnt, numberOrNull(o, "pric", path), numberOrNull(o, "hilist_pric", path), numberOrNull(o, "sumamt", path),
                begin, days, nullIfEmpty(text(o, "drord_dept_codg")), nullIfEmpty(text(o, "drord_dr_codg")),
                nullIfEmpty(text(o, "rxno")), nullIfEmpty(text(o, "grpno")), "1".equals(text(o, "drord_bhvr")),
                null, mdtrtId,
                hasDose ? new BigDecimal(dose.group(1)) : null, hasDose ? dose.group(2) : null,
                limit(text(o, "used_frqu_dscr"), 64), null, limit(text(o, "medc_way_dscr"), 64),
                title(text(o, "drord_dr_profttl")), null, null,
                nullIfEmpty(text(o, "drord_dept_name")), nullIfEmpty(text(o, "drord_dr_name")));
    }

    private static final java.util.regex.Pattern DOSE =
            java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-zμ\\u4e00-\\u9fa5]{1,16})");

    /** drord_dr_profttl: 专业技术职务代码 (GB/T 8561) 231 主任医师 … 235 医士; other codes carry no prescribing tier. */
    static String title(String code) {
        return switch (code) {
            case "231" -> "CHIEF";
            case "232" -> "ASSOCIATE_CHIEF";
            case "233" -> "ATTENDING";
            case "234" -> "RESIDENT";
            case "235" -> "ASSISTANT";
            default -> null;
        };
    }

    /**
     * matn_stas (生育状态): 0 其他, 1 妊娠期, 2 哺乳期; absent or unknown → not sent. Ignored for a male patient (HIS
     * systems fill it with defaults; a man reads NONE anyway), so a stray value never refuses the envelope.
     */
    static String pregnancy(JsonNode enc) {
        return switch (text(enc, "matn_stas")) {
            case "0" -> "NONE";
            case "1" -> "PREGNANT";
            case "2" -> "LACTATING";
            default -> null;
        };
    }

    /** fsi_operation_dtos → procedures; absent → null (not sent), so procedure rules are skipped, not passed. */
    private static List<AuditRequest.ProcedureDto> procedures(JsonNode enc, String epath) {
        JsonNode ops = enc.get("fsi_operation_dtos");
        if (ops == null || !ops.isArray()) {
            return null;
        }
        List<AuditRequest.ProcedureDto> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String code = required(op, "oprn_code", epath + ".fsi_operation_dtos[" + i + "]");
            out.add(new AuditRequest.ProcedureDto(code, nullIfEmpty(text(op, "oprn_name")), dateTime(text(op, "oprn_date"), epath + ".fsi_operation_dtos[" + i + "].oprn_date"),
                    "1".equals(text(op, "main_oprn_flag"))));
        }
        return out;
    }

    private static String limit(String s, int max) {
        return s.isEmpty() ? null : s.length() > max ? s.substring(0, max) : s;
    }

    /** hilist_type (医保目录类别) first, then chrg_type (收费项目类别). */
    static String itemType(JsonNode o) {
        String list = text(o, "hilist_type");
        if (!list.isEmpty()) {
            if (list.equals("102")) {
                return "HERB";
            }
            if (list.startsWith("1")) {
                return "DRUG";
            }
            if (list.startsWith("2")) {
                return "SERVICE";
            }
            if (list.startsWith("3")) {
                return "MATERIAL";
            }
        }
        return switch (text(o, "chrg_type")) {
            case "09", "11" -> "DRUG";
            case "10" -> "HERB";
            case "08" -> "MATERIAL";
            case "" -> null;
            default -> "SERVICE";
        };
    }

    private Scenario scenario(JsonNode enc) {
        String med = medTypes.get(text(enc, "med_type"));
        if (med == null) {
            med = mdtrtTypes.get(text(enc, "med_mdtrt_type"));
        }
        return med == null ? null : Scenario.valueOf(med);
    }

    private String insurance(JsonNode enc, JsonNode patient) {
        String code = text(enc, "insutype");
        if (code.isEmpty()) {
            code = text(patient, "insutype");
        }
        return insuranceTypes.get(code);
    }

    /** Comma-separated or array {@code rule_ids}; null when absent (all rules). */
    public static Set<String> ruleIds(JsonNode data) {
        JsonNode ids = data.path("rule_ids");
        Set<String> out = new LinkedHashSet<>();
        if (ids.isArray()) {
            ids.forEach(n -> {
                if (!n.asText().isBlank()) {
                    out.add(n.asText().trim());
                }
            });
        } else if (ids.isTextual()) {
            for (String s : ids.asText().split("[,;|]")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v != null && v.isContainerNode()) {
            // asText() of an object or array is "", which would read as "missing" and hide the mistake
            throw new EnvelopeException(field + " 必须是文本或数字 (must be text or a number, not " + (v.isArray() ? "an array" : "an object") + ")");
        }
        return v == null || v.isNull() ? "" : v.asText().trim();
    }

    private static String required(JsonNode n, String field, String path) {
        String v = text(n, field);
        if (v.isEmpty()) {
            throw new EnvelopeException(path + "." + field + " 不能为空 (is required)");
        }
        return v;
    }

    private static String nullIfEmpty(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String pad(String level) {
        return level.length() == 1 ? "0" + level : level;
    }

    private static Iterable<JsonNode> iterable(JsonNode n) {
        return n.isArray() ? n : List.of();
    }

    private static BigDecimal number(String s, String path) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new EnvelopeException(path + " 不是数字 (not a number): " + s);
        }
    }

    private static BigDecimal numberOrNull(JsonNode o, String field, String path) {
        String v = text(o, field);
        return v.isEmpty() ? null : number(v, path + "." + field);
    }

    private static LocalDate date(String s, String path) {
        try {
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (DateTimeParseException e) {
            throw new EnvelopeException(path + " 日期格式错误 (expected yyyy-MM-dd): " + s);
        }
    }

    private static LocalDateTime dateTime(String s, String path) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            return LocalDateTime.parse(s.replace('T', ' ').substring(0, Math.min(19, s.length())), DATE_TIME);
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new EnvelopeException(path + " 日期时间格式错误 (expected yyyy-MM-dd HH:mm:ss): " + s);
        }
    }
}
