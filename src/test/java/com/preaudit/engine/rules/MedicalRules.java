package com.preaudit.engine.rules;

/** Round two, clinical (医疗类) and related management rules of the default catalog: code → name, knowledge set. */
final class MedicalRules {
    private MedicalRules() {}

    static void register() {
        CatalogFiles.s7("GZ10000301001000", "药品与医疗服务项目不符", "drug-service-mismatch");
        CatalogFiles.s7("GZ10000301003000", "药品儿童禁用", "drug-child-forbidden");
        CatalogFiles.s7("GZ10000301005000", "超说明书用量开药", "drug-label-dose");
        CatalogFiles.s7("GZ10000301006000", "重复开药", "drug-repeat-prescription");
        CatalogFiles.s7("GZ10000301007000", "超说明书适应症用药", "drug-label-indication");
        CatalogFiles.s7("GZ10000301008000", "药品禁忌症", "drug-contraindication");
        CatalogFiles.s7("GZ10000301009000", "老年人用药安全", "drug-elderly");
        CatalogFiles.s7("GZ10000301010000", "妊娠期及哺乳期用药安全", "drug-pregnancy-lactation");
        CatalogFiles.s7("GZ10000301011000", "药品相互作用", "drug-interaction");
        CatalogFiles.s7("GZ10000301012000", "中药饮片配伍禁忌", "herb-incompatibility");
        CatalogFiles.s7("GZ2025076", "中药饮片超大处方", null);
        CatalogFiles.s7("GZ2025077", "中药饮片超量上传", "herb-max-dose");
        CatalogFiles.s7("GZ10000302001000", "无指征检验检查", "service-indication-exam");
        CatalogFiles.s7("GZ10000302002000", "无指征治疗", "service-indication-treatment");
        CatalogFiles.s7("GZ10000302005000", "医疗服务项目禁忌症", "service-contraindication");
        CatalogFiles.s7("GZ10000302006000", "医疗服务项目超适应症使用", "service-indication");
        CatalogFiles.s7("GZ10000201005000", "手术操作编码与性别不符", "procedure-gender");
        CatalogFiles.s7("GZ10000201006000", "诊断编码与手术操作编码不符", "procedure-diagnosis");
        CatalogFiles.s7("GZ10000202002000", "围手术期抗菌药物预防性应用监管", "perioperative-antibiotic");
        CatalogFiles.s7("GZ10000202003000", "抗菌药物分级使用管理", "antibiotic-tier");
        CatalogFiles.s7("LOCAL-FEE-CATEGORY", "费别变更", null);
    }
}
