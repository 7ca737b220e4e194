package com.preaudit.interop.cdshooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code preaudit.cds-hooks.*}. */
@ConfigMapping(prefix = "preaudit.cds-hooks")
public interface CdsHooksConfig {

    /**
     * Coding system whose code is the national insurance item code (医保编码) in MedicationRequest and
     * ServiceRequest codings; when an order has no coding of this system its first coding is used.
     */
    @WithDefault("urn:nhsa:hilist")
    String itemCodeSystem();

    /** Coding system preferred for Condition codes (ICD-10); otherwise the first coding. */
    @WithDefault("http://hl7.org/fhir/sid/icd-10")
    String diagnosisCodeSystem();

    /** Coding system preferred for Procedure codes (ICD-9-CM-3, 医保版); otherwise the first coding. */
    @WithDefault("http://hl7.org/fhir/sid/icd-9-cm")
    String procedureCodeSystem();

    /** source.label of every card. */
    @WithDefault("PreAudit 医保事前审核")
    String sourceLabel();
}
