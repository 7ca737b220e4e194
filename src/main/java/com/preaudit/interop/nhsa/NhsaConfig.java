package com.preaudit.interop.nhsa;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


/**
 * Code tables of the NHSA interfaces that differ between provinces; the defaults follow the national
 * 医保信息业务编码规范 and can be replaced per hospital, each as a {@code code=value,code=value} list
 * (e.g. {@code PREAUDIT_NHSA_HOSPITAL_LEVELS=01=3,02=3,05=2}).
 */
@ConfigMapping(prefix = "preaudit.nhsa")
public interface NhsaConfig {

    /** medins_lv → hospital level 1/2/3 (01–04 三级, 05–07 二级, 08–10 一级). */
    @WithDefault("01=3,02=3,03=3,04=3,05=2,06=2,07=2,08=1,09=1,10=1")
    String hospitalLevels();

    /** insutype → insurance type (310–340 职工, 390–392 居民, 510 生育). */
    @WithDefault("310=EMPLOYEE,320=EMPLOYEE,330=EMPLOYEE,340=EMPLOYEE,390=RESIDENT,391=RESIDENT,392=RESIDENT,510=MATERNITY")
    String insuranceTypes();

    /** med_type → scenario (11–16 门诊, 13 急诊, 2x 住院, 41 药店购药). */
    @WithDefault("11=OUTPATIENT,12=OUTPATIENT,13=EMERGENCY,14=OUTPATIENT,15=OUTPATIENT,16=OUTPATIENT,21=INPATIENT,22=INPATIENT,23=INPATIENT,24=INPATIENT,25=INPATIENT,41=PHARMACY,9901=INTERNET")
    String medTypes();

    /** med_mdtrt_type → scenario when med_type is absent or unknown (1 门诊, 2 住院, 3 药店, 4 互联网). */
    @WithDefault("1=OUTPATIENT,2=INPATIENT,3=PHARMACY,4=INTERNET")
    String mdtrtTypes();
}
