-- Stored history (PRODUCT.md §3.2): charge lines posted by the billing screens, so that frequency,
-- duplicate-charge and course-of-treatment rules see earlier days in later audits. One row per
-- (patient, line id): re-posting a line is a no-op, a refund (退费) only flags the row so the audit
-- trail stays complete. item_code is in the "C" collation so that code-prefix ranges
-- (item_code >= 'XG02BA' AND item_code < 'XG02BB') are exact and use the btree index.

CREATE TABLE charge_line (
    patient_id            TEXT NOT NULL,
    line_id               TEXT NOT NULL,
    encounter_id          TEXT,
    item_code             TEXT COLLATE "C" NOT NULL,
    item_name             TEXT,
    item_type             TEXT,
    quantity              NUMERIC(18, 4) NOT NULL,
    unit_price            NUMERIC(18, 4),
    list_price            NUMERIC(18, 4),
    amount                NUMERIC(18, 2),
    ordered_at            TIMESTAMP NOT NULL,    -- wall-clock time as the HIS sends it; posting time when absent
    days                  INTEGER,
    department_code       TEXT,
    doctor_id             TEXT,
    prescription_no       TEXT,
    group_no              TEXT,
    discharge_medication  BOOLEAN,
    self_pay              BOOLEAN,
    recorded_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    refunded              BOOLEAN NOT NULL DEFAULT false,
    refunded_at           TIMESTAMPTZ,
    PRIMARY KEY (patient_id, line_id)
);
-- The audit reads only live (not refunded) lines; partial indexes keep refunds out of its scans.
CREATE INDEX charge_line_patient_item_time ON charge_line (patient_id, item_code, ordered_at) WHERE NOT refunded;
CREATE INDEX charge_line_patient_time ON charge_line (patient_id, ordered_at) WHERE NOT refunded;
CREATE INDEX charge_line_patient_encounter ON charge_line (patient_id, encounter_id) WHERE NOT refunded;

-- Statistics (§3.4) scan one date range of findings and group in memory; a covering index lets
-- PostgreSQL answer from the index alone for the common columns.
CREATE INDEX audit_finding_stats ON audit_finding (created_at, stage)
    INCLUDE (audit_id, action, rule_code, department_code, doctor_id, amount_at_risk);
CREATE INDEX audit_record_stats ON audit_record (created_at, stage) INCLUDE (decision);
-- Latest disposition per finding, read for a range of dispositions made since the range began.
CREATE INDEX disposition_created ON disposition (created_at, finding_id);
