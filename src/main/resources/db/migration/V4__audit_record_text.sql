-- The audit record keeps the request exactly as the HIS sent it and the answer exactly as it was
-- sent, as UTF-8 text. Nothing in the service queries inside these documents (analysts can cast:
-- request::jsonb -> ...), both are JSON by construction (parsed, resp. written, by the service), and
-- PostgreSQL's conversion on insert was the largest part of its work per audit: measured on 3,000
-- records of a 20-line order (6 KB request, 8 KB answer) 170 µs per record as jsonb/json against
-- 23 µs as text. Text also keeps the exact bytes whose SHA-256 is request_digest.
ALTER TABLE audit_record
    ALTER COLUMN request TYPE text USING request::text,
    ALTER COLUMN response TYPE text USING response::text;
