-- Every audit inserts one audit_record row and one audit_finding row per finding; each index is
-- one more insertion per row. These two are covered by the statistics indexes of V3, whose
-- leading column is the same created_at (range scans by time use them just as well).
DROP INDEX IF EXISTS audit_record_created;
DROP INDEX IF EXISTS audit_finding_created;
