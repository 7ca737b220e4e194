package com.preaudit.engine.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Administrations per day of a frequency as HIS systems write it, and dose unit conversion. Both answer null when
 * they do not know (an unknown frequency, units of different kinds): the rule is then skipped, never decided on a
 * guess.
 */
public final class Dosing {
    private static final Map<String, BigDecimal> TIMES = new HashMap<>();
    private static final Map<String, BigDecimal> UNIT_FACTOR = new HashMap<>();   // to the kind's base unit
    private static final Map<String, String> UNIT_KIND = new HashMap<>();

    static {
        times("1", "QD", "QAM", "QPM", "QN", "HS", "ST", "STAT", "ONCE", "每日一次", "每天一次", "一日一次", "1日1次",
            "每晚一次", "睡前", "立即", "临时", "顿服");
        times("2", "BID", "Q12H", "每日两次", "每日二次", "每天两次", "每天二次", "一日两次", "一日二次", "1日2次");
        times("3", "TID", "Q8H", "每日三次", "每天三次", "一日三次", "1日3次");
        times("4", "QID", "Q6H", "每日四次", "每天四次", "一日四次", "1日4次");
        times("6", "Q4H");
        times("0.5", "QOD", "隔日一次", "隔天一次");
        BigDecimal week = BigDecimal.ONE.divide(BigDecimal.valueOf(7), MathContext.DECIMAL64);
        for (String s : new String[] {"QW", "每周一次"}) TIMES.put(s, week);
        TIMES.put("BIW", week.multiply(BigDecimal.valueOf(2)));
        TIMES.put("TIW", week.multiply(BigDecimal.valueOf(3)));
        unit("mass", "1", "g", "克");
        unit("mass", "0.001", "mg", "毫克");
        unit("mass", "0.000001", "μg", "ug", "mcg", "微克");
        unit("mass", "1000", "kg", "千克");
        unit("volume", "1", "ml", "毫升");
        unit("volume", "1000", "l", "升");
        unit("iu", "1", "iu", "国际单位");
        unit("iu", "10000", "万iu", "万国际单位");
        unit("u", "1", "u", "单位");
        unit("u", "10000", "万u", "万单位");
    }

    private static void times(String n, String... names) {
        for (String s : names) TIMES.put(s, new BigDecimal(n));
    }

    private static void unit(String kind, String factor, String... names) {
        for (String s : names) {
            UNIT_FACTOR.put(s, new BigDecimal(factor));
            UNIT_KIND.put(s, kind);
        }
    }

    private Dosing() {}

    /** Administrations per day of a frequency (codes case-insensitive, spaces ignored, QnH for any n), or null. */
    public static BigDecimal timesPerDay(String frequency) {
        if (frequency == null) return null;
        String f = frequency.replace(" ", "").toUpperCase(Locale.ROOT);
        BigDecimal t = TIMES.get(f);
        if (t != null) return t;
        if (f.length() >= 3 && f.charAt(0) == 'Q' && f.charAt(f.length() - 1) == 'H') {
            try {
                int h = Integer.parseInt(f.substring(1, f.length() - 1));
                if (h >= 1 && h <= 24) return BigDecimal.valueOf(24).divide(BigDecimal.valueOf(h), MathContext.DECIMAL64);
            } catch (NumberFormatException ignored) {
                return null;
            }
        }
        return null;
    }

    /** {@code value} in {@code from} units expressed in {@code to} units, or null when they are not of one kind. */
    public static BigDecimal convert(BigDecimal value, String from, String to) {
        if (value == null || from == null || to == null) return null;
        String a = from.trim().toLowerCase(Locale.ROOT), b = to.trim().toLowerCase(Locale.ROOT);
        if (a.equals(b)) return value;
        String ka = UNIT_KIND.get(a), kb = UNIT_KIND.get(b);
        if (ka == null || !ka.equals(kb)) return null;
        return value.multiply(UNIT_FACTOR.get(a)).divide(UNIT_FACTOR.get(b), MathContext.DECIMAL64);
    }
}
