package com.preaudit.bench.drools;

/**
 * One (knowledge row, item code) pair as a Drools fact: the set it belongs to, the code it is indexed under and the
 * typed columns the peer rules read. For duplicate-charge pairs, {@code partner} is the other code of the pair.
 */
public final class DKnow {
    private final String set;
    private final String code;
    private final String kpId;
    private final String itemName;
    private final String gender;
    private final Integer minLevel;
    private final Integer maxCount;
    private final String per;
    private final String partner;
    private final String constraintText;

    public DKnow(String set, String code, String kpId, String itemName, String gender, Integer minLevel,
                 Integer maxCount, String per, String partner, String constraintText) {
        this.set = set;
        this.code = code;
        this.kpId = kpId;
        this.itemName = itemName;
        this.gender = gender;
        this.minLevel = minLevel;
        this.maxCount = maxCount;
        this.per = per;
        this.partner = partner;
        this.constraintText = constraintText;
    }

    public String getSet() { return set; }
    public String getCode() { return code; }
    public String getKpId() { return kpId; }
    public String getItemName() { return itemName; }
    public String getGender() { return gender; }
    public Integer getMinLevel() { return minLevel; }
    public Integer getMaxCount() { return maxCount; }
    public String getPer() { return per; }
    public String getPartner() { return partner; }
    public String getConstraintText() { return constraintText; }
}
