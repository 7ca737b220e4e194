-- Audit records are partitioned by month (PRODUCT.md §9): audit_record and audit_finding become
-- range-partitioned on created_at, one partition per calendar month in China Standard Time (the
-- months the insurance office reports and settles in; a statistics range in another zone prunes to
-- one more partition, nothing else changes). Why: every audit adds a record and ~12 finding rows
-- for years; per-month tables keep each index as large as one month, let a statistics range read
-- only its months, and make retention a DROP of old partitions instead of a DELETE over the table.
--
-- A unique index of a partitioned table must contain the partition key, so the primary keys become
-- (id, created_at). Ids stay unique on their own (v7 UUIDs, platform.Ids); lookups by id alone
-- probe each month's primary-key index.
--
-- Each table also has a DEFAULT partition, so that a row never fails for want of its month:
-- the record writer calls audit_month_partitions() for the months of a batch (and the month after)
-- before writing it, and a row that lands in the default partition anyway is moved to its month
-- when that month is created.

ALTER TABLE audit_record RENAME TO audit_record_v6;
ALTER TABLE audit_record_v6 DROP CONSTRAINT audit_record_pkey;
DROP INDEX audit_record_request_id;
DROP INDEX audit_record_stats;
ALTER TABLE audit_finding RENAME TO audit_finding_v6;
ALTER TABLE audit_finding_v6 DROP CONSTRAINT audit_finding_pkey;
DROP INDEX audit_finding_audit;
DROP INDEX audit_finding_stats;

CREATE TABLE audit_record (LIKE audit_record_v6 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
    PRIMARY KEY (audit_id, created_at)) PARTITION BY RANGE (created_at);
CREATE INDEX audit_record_request_id ON audit_record (request_id, created_at) WHERE request_id IS NOT NULL;
CREATE INDEX audit_record_stats ON audit_record (created_at, stage) INCLUDE (decision);
CREATE TABLE audit_record_default PARTITION OF audit_record DEFAULT;

CREATE TABLE audit_finding (LIKE audit_finding_v6 INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
    PRIMARY KEY (finding_id, created_at)) PARTITION BY RANGE (created_at);
CREATE INDEX audit_finding_audit ON audit_finding (audit_id);
CREATE INDEX audit_finding_stats ON audit_finding (created_at, stage)
    INCLUDE (audit_id, action, rule_code, department_code, doctor_id, amount_at_risk);
CREATE TABLE audit_finding_default PARTITION OF audit_finding DEFAULT;

-- The partitions of the month that contains p_at, for both tables: audit_record_y2026m12 holds
-- [2026-12-01 00:00+08, 2027-01-01 00:00+08). Idempotent, and safe when several nodes call it at
-- once (one advisory lock). Rows of that month found in the default partition are moved into the
-- new partition before it is attached. ATTACH takes a SHARE UPDATE EXCLUSIVE lock on the parent,
-- so reads and writes of other months go on meanwhile; lock_timeout keeps a long statistics query
-- from queueing the writer behind the attach (the caller tries again later). Returns the month's
-- bounds, which the writer remembers.
CREATE FUNCTION audit_month_partitions(p_at timestamptz, OUT month_start timestamptz, OUT month_end timestamptz)
LANGUAGE plpgsql SET lock_timeout = '2s' AS $$
DECLARE
    local_month timestamp := date_trunc('month', p_at AT TIME ZONE 'Asia/Shanghai');
    suffix text := to_char(local_month, '"y"YYYY"m"MM');
    parent text;
    part text;
BEGIN
    month_start := local_month AT TIME ZONE 'Asia/Shanghai';
    month_end := (local_month + interval '1 month') AT TIME ZONE 'Asia/Shanghai';
    IF to_regclass('audit_record_' || suffix) IS NOT NULL AND to_regclass('audit_finding_' || suffix) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('audit_month_partitions'));
    FOREACH parent IN ARRAY ARRAY['audit_record', 'audit_finding'] LOOP
        part := parent || '_' || suffix;
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', part, parent);
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE created_at >= $1 AND created_at < $2 RETURNING *) '
                    || 'INSERT INTO %I SELECT * FROM moved', parent || '_default', part) USING month_start, month_end;
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, month_start, month_end);
        END IF;
    END LOOP;
END $$;

-- The months of the rows written so far, and this month.
SELECT audit_month_partitions(min(at))
FROM (SELECT created_at AS at FROM audit_record_v6 UNION ALL SELECT created_at FROM audit_finding_v6 UNION ALL SELECT now()) AS t
GROUP BY date_trunc('month', at AT TIME ZONE 'Asia/Shanghai');

INSERT INTO audit_record SELECT * FROM audit_record_v6;
INSERT INTO audit_finding SELECT * FROM audit_finding_v6;
DROP TABLE audit_record_v6;
DROP TABLE audit_finding_v6;
