package com.preaudit.engine.rules;


/**
 * Round two of the national library, policy / management / material part (issue 19): the rule classes the
 * rules-policy work adds to the default catalog, code → {name, knowledge set or null}. Kept apart from
 * {@link CatalogFiles#SECTION7}'s round-one list so the clinical part can add its own list beside it.
 */
final class PolicyRoundTwo {
    private PolicyRoundTwo() {}

    static void register(TriConsumer s7) {
        s7.accept("GZ10000101006000", "药品限新生儿使用", "drug-newborn-limited");
        s7.accept("GZ10000102003000", "医疗服务项目限工伤保险", "service-work-injury-insurance");
        s7.accept("GZ10000102004000", "医疗服务项目限生育保险", "service-maternity-insurance");
        s7.accept("GZ10000102005000", "医疗服务项目限新生儿使用", "service-newborn-limited");
        s7.accept("GZ10000102006000", "医疗服务项目限儿童使用", "service-child-limited");
        s7.accept("GZ10000101011000", "药品超限定病种目录范围使用", "drug-disease-limited");
        s7.accept("GZ10000102001000", "医疗服务项目超限定单价收费", "service-price-limit");
        s7.accept("GZ10000102007000", "医疗服务项目限适应症", "service-indication-limited");
        s7.accept("GZ10000102009000", "医疗服务项目限就医方式", "service-care-mode");
        s7.accept("GZ10000102011000", "医疗服务项目限医疗机构级别", "service-hospital-level");
        s7.accept("GZ10000102013000", "医疗服务项目分解收费", "service-split-charge");
        s7.accept("GZ10000102015000", "医疗服务项目超限定报销总额", "service-reimbursement-cap");
        s7.accept("GZ10000103003000", "耗材超限定报销总额", "material-reimbursement-cap");
        s7.accept("GZ10000103001000", "耗材限新生儿使用", "material-newborn-limited");
        s7.accept("GZ10000103002000", "耗材限儿童使用", "material-child-limited");
        s7.accept("GZ2025030", "医疗服务项目与医用耗材重复收费", "service-material-included");
        s7.accept("GZ10000201003000", "疾病诊断编码异常", null);
        s7.accept("GZ10000201004000", "手术操作编码异常", null);
        s7.accept("GZ10000204001000", "分解住院", null);
        s7.accept("GZ10000204002000", "频繁门诊", null);
        s7.accept("GZ10000204003000", "频繁购药", null);
        s7.accept("GZ10000204004000", "频繁住院", null);
        s7.accept("GZ10000204005000", "无指征住院（低标准入院）", null);
        s7.accept("GZ10000303001000", "医用耗材与医疗服务项目不符", "material-service");
        s7.accept("GZ10000303002000", "医用耗材与科室不符", "material-department");
        s7.accept("GZ10000303003000", "医用耗材数量超标", "material-quantity");
        s7.accept("GZ2025087", "医用耗材与性别不符", "material-gender");
        s7.accept("GZ2025088", "医用耗材限疾病使用", "material-disease-limited");
        // seed-003 doctor-station items
        s7.accept("LOCAL-CHRONIC-QUOTA", "门诊慢特病用药超限量", "chronic-disease-quota");
        s7.accept("LOCAL-CHRONIC-DEPT", "门诊慢特病就诊科室不符", "chronic-disease-department");
    }

    @FunctionalInterface
    interface TriConsumer {
        void accept(String code, String name, String set);
    }

}
