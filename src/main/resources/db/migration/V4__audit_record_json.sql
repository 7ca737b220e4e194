-- The audit record keeps the request as the HIS sent it and the answer as it was sent: plain json
-- (stored as text, validated on insert) instead of jsonb. Nothing queries inside these documents;
-- jsonb's conversion on every insert was a large part of PostgreSQL's work per audit, and json keeps
-- the exact bytes whose SHA-256 is request_digest.
ALTER TABLE audit_record
    ALTER COLUMN request TYPE json USING request::json,
    ALTER COLUMN response TYPE json USING response::json;
