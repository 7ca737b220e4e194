-- Audit records, written asynchronously in batches (AuditRecordWriter). One row per audit with the
-- request and the answer, so any past decision can be explained and reproduced with its catalog
-- version; one row per finding for the statistics queries.

CREATE TABLE audit_record (
    audit_id         UUID PRIMARY KEY,
    request_id       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    stage            TEXT NOT NULL,
    scenario         TEXT,
    catalog_version  INTEGER NOT NULL,
    decision         TEXT NOT NULL,
    patient_id       TEXT NOT NULL,
    encounter_id     TEXT,
    department_code  TEXT,
    doctor_id        TEXT,
    elapsed_micros   INTEGER NOT NULL,
    degraded         BOOLEAN NOT NULL DEFAULT false,
    request_digest   TEXT NOT NULL,          -- SHA-256 of the request JSON
    request          JSONB NOT NULL,
    response         JSONB NOT NULL
);
CREATE INDEX audit_record_request_id ON audit_record (request_id, created_at) WHERE request_id IS NOT NULL;
CREATE INDEX audit_record_created ON audit_record (created_at);

CREATE TABLE audit_finding (
    finding_id       UUID PRIMARY KEY,
    audit_id         UUID NOT NULL REFERENCES audit_record(audit_id) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    stage            TEXT NOT NULL,
    rule_code        TEXT NOT NULL,
    rule_name        TEXT,
    action           TEXT NOT NULL,
    result_type      TEXT,
    department_code  TEXT,
    doctor_id        TEXT,
    item_codes       TEXT[] NOT NULL,
    amount_at_risk   NUMERIC(18, 2)
);
CREATE INDEX audit_finding_audit ON audit_finding (audit_id);
CREATE INDEX audit_finding_created ON audit_finding (created_at, rule_code);

CREATE TABLE disposition (
    finding_id   UUID NOT NULL,
    audit_id     UUID NOT NULL,
    disposition  TEXT NOT NULL CHECK (disposition IN ('MODIFIED', 'OVERRIDDEN', 'SELF_PAY')),
    reason       TEXT,
    by_user      TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (finding_id, created_at)
);
CREATE INDEX disposition_audit ON disposition (audit_id);
