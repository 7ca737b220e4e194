-- Console sign-in through the hospital's identity provider (OpenID Connect authorization code flow with PKCE,
-- PRODUCT.md §10/§12). A row is one sign-in on its way through the identity provider: kept in the database, not
-- in one node's memory, because the browser may come back to another node of the cluster. It is taken (deleted)
-- by the callback, so a state is used once; rows of abandoned sign-ins are removed after 10 minutes.
-- state_hash and browser_hash are SHA-256 of the state sent to the identity provider and of the value of the
-- short-lived cookie that binds the sign-in to the browser that started it.
CREATE TABLE console_oidc_login (
    state_hash    text        PRIMARY KEY,
    browser_hash  text        NOT NULL,
    nonce         text        NOT NULL,
    code_verifier text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX console_oidc_login_expires ON console_oidc_login (expires_at);

-- The name a session shows in the console's header (the identity provider's "name" claim; the subject when
-- absent), and whether it was opened through the identity provider (sign-out then ends the provider's session too).
ALTER TABLE console_session ADD COLUMN display_name text;
ALTER TABLE console_session ADD COLUMN via_identity_provider boolean NOT NULL DEFAULT false;
