-- Catalog storage. Version 0 is the single editable draft; versions 1..n are immutable snapshots.
-- Publishing copies the draft's rows under the next number inside one transaction, so a version is
-- never half-written and old versions stay exactly as they were (rollback = activate an old number).

CREATE TABLE catalog_version (
    version      INTEGER PRIMARY KEY,
    note         TEXT,
    author       TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    based_on     INTEGER,
    meta         JSONB NOT NULL DEFAULT '{}'::jsonb,   -- catalog.yaml: name, description, effectiveFrom
    rule_count   INTEGER NOT NULL DEFAULT 0,
    row_count    INTEGER NOT NULL DEFAULT 0
);

-- Exactly one row: which version is active, and a revision counter bumped on every draft change.
CREATE TABLE catalog_state (
    id              SMALLINT PRIMARY KEY CHECK (id = 1),
    active_version  INTEGER REFERENCES catalog_version(version),
    draft_revision  BIGINT NOT NULL DEFAULT 0,
    activated_at    TIMESTAMPTZ
);

INSERT INTO catalog_version(version, note, author) VALUES (0, 'draft', 'system');
INSERT INTO catalog_state(id, active_version, draft_revision) VALUES (1, NULL, 0);

CREATE TABLE catalog_rule (
    version   INTEGER NOT NULL REFERENCES catalog_version(version),
    code      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    tier      TEXT,
    body      JSONB   NOT NULL,        -- the RuleDefinition as JSON
    PRIMARY KEY (version, code)
);

CREATE TABLE knowledge_set (
    version    INTEGER NOT NULL REFERENCES catalog_version(version),
    name       TEXT    NOT NULL,
    columns    JSONB   NOT NULL,       -- ordered header, item_codes and kp_id included
    row_count  INTEGER NOT NULL,
    PRIMARY KEY (version, name)
);

CREATE TABLE knowledge_row (
    version     INTEGER NOT NULL,
    set_name    TEXT    NOT NULL,
    row_no      INTEGER NOT NULL,
    kp_id       TEXT    NOT NULL,
    item_codes  TEXT[]  NOT NULL,
    vals        JSONB   NOT NULL,      -- every other column, as text
    PRIMARY KEY (version, set_name, row_no),
    FOREIGN KEY (version, set_name) REFERENCES knowledge_set(version, name) ON DELETE CASCADE
);
CREATE INDEX knowledge_row_codes ON knowledge_row USING GIN (item_codes);
