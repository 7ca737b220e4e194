-- Who published each catalog version (PRODUCT.md §10): the credential's subject, beside the free-text
-- author the request names. Versions published before credentials existed keep NULL (not known).
ALTER TABLE catalog_version ADD COLUMN published_by text;
