-- Exemptions (特批/备案, PRODUCT.md §11): the insurance office approved this patient for this rule (and item).
-- Written by ExemptionResource (Hibernate ORM/Panache, in the same transaction as its change-log entry); read
-- on every audit by the history lookup's statement (ChargeStore.CHECK_SQL), so a grant or revoke made through
-- any node counts in the next audit on every node. A revoked exemption is kept (revoked_at/by) for the record.
CREATE TABLE exemption (
    id          uuid PRIMARY KEY,
    patient_id  text        NOT NULL,
    rule_code   text        NOT NULL,
    item_code   text,
    valid_from  date        NOT NULL,
    valid_to    date        NOT NULL,
    reason      text        NOT NULL,
    approval_no text,
    granted_by  text        NOT NULL,
    granted_at  timestamptz NOT NULL,
    revoked_by  text,
    revoked_at  timestamptz,
    CHECK (valid_to >= valid_from)
);
-- the audit's probe: the patient's exemptions not revoked and not expired
CREATE INDEX exemption_patient_live ON exemption (patient_id, valid_to) WHERE revoked_at IS NULL;
CREATE INDEX exemption_granted ON exemption (granted_at);
