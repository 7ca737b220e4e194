-- A change counter per patient's stored history. Every insert, update (refund) or delete of a
-- charge_line row bumps it in the same transaction, whoever writes: the charge API, another node,
-- or a DBA's backfill. A node keeps a copy of a patient's live lines in memory and, on each audit,
-- compares the copy's version with this row (one primary-key probe, in the statement that also
-- checks the requestId) instead of reading the lines again; a different version reloads the copy
-- in that same statement. Version and lines are read in one snapshot, so a copy is never newer or
-- older than the version it carries.
CREATE TABLE charge_version (
    patient_id  TEXT PRIMARY KEY,
    version     BIGINT NOT NULL
);

INSERT INTO charge_version (patient_id, version) SELECT DISTINCT patient_id, 1 FROM charge_line;

CREATE FUNCTION charge_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- statement-level: one upsert per patient of the statement, not one per posted line
    IF TG_OP = 'DELETE' THEN
        INSERT INTO charge_version (patient_id, version) SELECT DISTINCT patient_id, 1 FROM old_rows
            ON CONFLICT (patient_id) DO UPDATE SET version = charge_version.version + 1;
    ELSE
        INSERT INTO charge_version (patient_id, version) SELECT DISTINCT patient_id, 1 FROM new_rows
            ON CONFLICT (patient_id) DO UPDATE SET version = charge_version.version + 1;
    END IF;
    RETURN NULL;
END $$;

-- a transition table names one event, so one trigger per event
CREATE TRIGGER charge_line_version_insert AFTER INSERT ON charge_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION charge_version_bump();
CREATE TRIGGER charge_line_version_update AFTER UPDATE ON charge_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION charge_version_bump();
CREATE TRIGGER charge_line_version_delete AFTER DELETE ON charge_line
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION charge_version_bump();
