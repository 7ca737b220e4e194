package com.preaudit.bench.drools;

import com.preaudit.engine.model.AuditInput;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.Line;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.internal.utils.KieHelper;

/**
 * The Drools peer: the gender, child-only, hospital-level, duplicate-charge-pair and frequency rule classes of the
 * default catalog written in DRL, over the same national knowledge rows inserted once as facts ({@link DKnow}, one per
 * row and code). One long-lived session per peer (not thread-safe): an audit inserts the patient, hospital, request
 * and history lines, fires, collects the hits and retracts the order again, leaving the knowledge facts in place.
 */
public final class DroolsPeer {
    /** Rule name in DRL = rule code of the default catalog. */
    static final String DRL = """
        package com.preaudit.bench.drl;

        import com.preaudit.bench.drools.DLine;
        import com.preaudit.bench.drools.DKnow;
        import com.preaudit.bench.drools.DPatient;
        import com.preaudit.bench.drools.DHospital;
        import com.preaudit.bench.drools.DHit;

        global java.util.List hits;

        rule "GZ10000301004000" // drug-gender
        when
            DPatient( $g : gender, gender == "M" || gender == "F" )
            $l : DLine( history == false )
            $k : DKnow( set == "drug-gender", code == $l.itemCode, gender != null, gender != $g )
        then
            hits.add(new DHit("GZ10000301004000", $l.getId(), name($l, $k) + "限" + ("F".equals($k.getGender()) ? "女" : "男")
                + "性使用，患者性别为" + ("F".equals($g) ? "女" : "男")));
        end

        rule "GZ10000302004000" // service-gender
        when
            DPatient( $g : gender, gender == "M" || gender == "F" )
            $l : DLine( history == false )
            $k : DKnow( set == "service-gender", code == $l.itemCode, gender != null, gender != $g )
        then
            hits.add(new DHit("GZ10000302004000", $l.getId(), name($l, $k) + "限" + ("F".equals($k.getGender()) ? "女" : "男")
                + "性使用，患者性别为" + ("F".equals($g) ? "女" : "男")));
        end

        rule "GZ10000301002000" // drug-child-only
        when
            $p : DPatient( birthDate != null )
            $l : DLine( history == false )
            $k : DKnow( set == "drug-child-only", code == $l.itemCode )
            eval( $p.ageAt($l.getDate()) >= 18 )
        then
            hits.add(new DHit("GZ10000301002000", $l.getId(), name($l, $k) + "为儿童专用药品，患者" + $p.ageAt($l.getDate())
                + "岁，已超出儿童年龄范围（未满18周岁）"));
        end

        rule "GZ10000101007000" // drug-child-limited
        when
            $p : DPatient( birthDate != null )
            $l : DLine( history == false, selfPay == false )
            $k : DKnow( set == "drug-child-limited", code == $l.itemCode )
            eval( $p.ageAt($l.getDate()) >= 18 )
        then
            hits.add(new DHit("GZ10000101007000", $l.getId(), name($l, $k) + "医保限儿童使用（"
                + ($k.getConstraintText() != null ? $k.getConstraintText() : "限儿童") + "），患者" + $p.ageAt($l.getDate())
                + "岁，基金不予支付，请更换药品或转自费"));
        end

        rule "GZ10000302003000" // service-child-only
        when
            $p : DPatient( birthDate != null )
            $l : DLine( history == false )
            $k : DKnow( set == "service-child-only", code == $l.itemCode )
            eval( $p.ageAt($l.getDate()) >= 18 )
        then
            hits.add(new DHit("GZ10000302003000", $l.getId(), name($l, $k) + "为儿童专用项目，患者" + $p.ageAt($l.getDate())
                + "岁，已超出儿童年龄范围（未满18周岁）"));
        end

        rule "GZ10000101012000" // drug-hospital-level
        when
            DHospital( $lv : level != null )
            $l : DLine( history == false, selfPay == false )
            $k : DKnow( set == "drug-hospital-level", code == $l.itemCode, minLevel != null, minLevel > $lv )
        then
            hits.add(new DHit("GZ10000101012000", $l.getId(), name($l, $k) + "限"
                + ($k.getMinLevel() == 3 ? "三级" : "二级及以上") + "医疗机构使用，本机构为"
                + ($lv == 1 ? "一" : $lv == 2 ? "二" : "三") + "级医疗机构，基金不予支付"));
        end

        rule "GZ10000102012000" // service-duplicate-charge: the later line of a pair charged the same day
        when
            $l : DLine( history == false, selfPay == false )
            $k : DKnow( set == "service-duplicate-charge", code == $l.itemCode, partner != $l.itemCode )
            exists DLine( itemCode == $k.partner, epochDay == $l.epochDay, id != $l.id,
                          history == true || epochSecond < $l.epochSecond
                          || (epochSecond == $l.epochSecond && seq < $l.seq) )
        then
            hits.add(new DHit("GZ10000102012000", $l.getId(), ($l.getItemName() != null ? $l.getItemName() : $l.getItemCode())
                + "与同日已收费项目重复收费（" + ($k.getItemName() != null ? $k.getItemName() : $k.getCode() + "|" + $k.getPartner())
                + ($k.getConstraintText() != null ? "：" + $k.getConstraintText() : "") + "），请勿重复计费"));
        end

        rule "GZ10000102014000" // service-frequency: over the daily limit and over it in the last 24 hours
        when
            $l : DLine( history == false, selfPay == false, $code : itemCode, $day : epochDay, $t : epochSecond,
                        $seq : seq, $q : qty )
            $k : DKnow( set == "service-frequency", code == $code, maxCount != null, $max : maxCount )
            accumulate( DLine( itemCode == $code, epochDay == $day, $x : qty ); $dayQty : sum($x);
                        $dayQty > $max )
            accumulate( DLine( itemCode == $code, epochSecond > $t - 86400, epochSecond <= $t, $y : qty );
                        $lastQty : sum($y); $lastQty > $max )
            accumulate( DLine( itemCode == $code, epochDay == $day, id != $l.id,
                               epochSecond < $t || (epochSecond == $t && seq < $seq) );
                        $earlier : count(1) )
            eval( $q > $max || $earlier > 0 )
        then
            String unit = "HOUR".equals($k.getPer()) ? "小时" : "次";
            hits.add(new DHit("GZ10000102014000", $l.getId(), name($l, $k) + "每日最多收费" + $max + unit
                + "，当日累计已达" + $dayQty + unit + "，超出部分基金不予支付"));
        end

        function String name(DLine l, DKnow k) {
            return l.getItemName() != null ? l.getItemName() : k.getItemName() != null ? k.getItemName() : l.getItemCode();
        }
        """;

    /** Sets whose rows the peer rules read. */
    static final List<String> SETS = List.of("drug-gender", "service-gender", "drug-child-only", "drug-child-limited",
        "service-child-only", "drug-hospital-level", "service-duplicate-charge", "service-frequency");

    private final KieSession session;
    private final int knowledgeFacts;

    public DroolsPeer(Map<String, KnowledgeSet> sets) {
        KieBase base = new KieHelper().addContent(DRL, ResourceType.DRL).build();
        session = base.newKieSession();
        int n = 0;
        for (String name : SETS) {
            for (KnowledgeRow r : sets.get(name).rows()) {
                Map<String, String> v = r.values();
                List<String> codes = r.itemCodes();
                if ("service-duplicate-charge".equals(name) && codes.size() != 2) {
                    throw new IllegalStateException("a duplicate-charge row must have two codes: " + r.kpId());
                }
                if ("service-frequency".equals(name) && codes.size() != 1) {
                    throw new IllegalStateException("the frequency rule here expects one code per row: " + r.kpId());
                }
                for (int i = 0; i < codes.size(); i++) {
                    String code = codes.get(i);
                    if (code.endsWith("*")) throw new IllegalStateException("prefix patterns are not modelled: " + code);
                    String partner = "service-duplicate-charge".equals(name) ? codes.get(1 - i) : null;
                    session.insert(new DKnow(name, code, r.kpId(), blankToNull(v.get("item_name")),
                        blankToNull(v.get("gender")), integer(v.get("min_hospital_level")), integer(v.get("max_count")),
                        blankToNull(v.get("per")), partner, blankToNull(v.get("constraint_text"))));
                    n++;
                }
            }
        }
        knowledgeFacts = n;
    }

    public int knowledgeFacts() {
        return knowledgeFacts;
    }

    /** Audits one order; returns the hits (one per rule firing). */
    public List<DHit> audit(AuditInput in) {
        List<DHit> hits = new ArrayList<>();
        session.setGlobal("hits", hits);
        List<FactHandle> handles = new ArrayList<>(2 + in.lines().size() + in.history().size());
        handles.add(session.insert(new DPatient(in.patient().gender(), in.patient().birthDate())));
        handles.add(session.insert(new DHospital(in.hospital() == null ? null : in.hospital().level())));
        int seq = 0;
        for (Line l : in.history()) handles.add(session.insert(fact(l, true, seq++)));
        for (Line l : in.lines()) handles.add(session.insert(fact(l, false, seq++)));
        session.fireAllRules();
        for (FactHandle h : handles) session.delete(h);
        return hits;
    }

    public void dispose() {
        session.dispose();
    }

    private static DLine fact(Line l, boolean history, int seq) {
        LocalDateTime t = l.orderedAt();
        return new DLine(l.id(), l.itemCode(), l.itemName(), history, Boolean.TRUE.equals(l.selfPay()), t.toLocalDate(),
            t.toEpochSecond(ZoneOffset.UTC), seq, l.quantity() == null ? 0 : l.quantity().doubleValue());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Integer integer(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
    }
}
