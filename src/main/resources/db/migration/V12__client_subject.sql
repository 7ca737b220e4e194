-- The subject of the credential that made an audit or reported a disposition (PRODUCT.md §10), beside the
-- doctorId the HIS sent. NULL for rows written before credentials existed.
ALTER TABLE audit_record ADD COLUMN client_subject text;
ALTER TABLE disposition ADD COLUMN client_subject text;
