-- Console sign-in sessions (PRODUCT.md §12). The cookie carries a random session id; only its SHA-256
-- is stored, so a copy of this table cannot be replayed as a cookie. Each session has its own CSRF
-- token (checked on every console form) and an absolute expiry.
CREATE TABLE console_session (
    id_hash     text        PRIMARY KEY,
    subject     text        NOT NULL,
    roles       text        NOT NULL,     -- comma-separated role names of the credential signed in with
    csrf        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX console_session_expires ON console_session (expires_at);
