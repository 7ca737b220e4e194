-- PreAudit tokens (PRODUCT.md §10). Only a SHA-256 digest of the value is stored: the value itself
-- appears once, in the answer that minted it. Every node of the database verifies against this table,
-- so a token minted on one node works on all, and a revocation (revoked_at) reaches all of them.
CREATE TABLE api_token (
    id          text        PRIMARY KEY,
    token_hash  text        NOT NULL UNIQUE,
    subject     text        NOT NULL,
    roles       text        NOT NULL,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz,
    revoked_by  text
);
CREATE INDEX api_token_created_at ON api_token (created_at);
