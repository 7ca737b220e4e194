-- Impact simulations (PRODUCT.md §11): one row per run, written by Hibernate ORM/Panache. The run replays the
-- stored audits of [period_start, period_end) through the candidate and the baseline catalog and writes nothing
-- but this row: its progress while it runs and its result (JSON text, read back whole) when it ends.
-- node names the process that runs it: that process holds a PostgreSQL advisory lock for its node id while it
-- runs simulations, so a RUNNING row whose node's lock is free was interrupted (the process stopped or was
-- killed) and is ended FAILED with a reason, at start-up or when it is next read.
CREATE TABLE simulation (
    id                 uuid PRIMARY KEY,
    status             text        NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    candidate          text        NOT NULL,   -- 'draft' or a version number, as asked
    candidate_version  integer,                -- null for the draft
    baseline           text        NOT NULL,   -- 'active' or a version number, as asked
    baseline_version   integer     NOT NULL,   -- the version it was compared with
    from_date          date        NOT NULL,
    to_date            date        NOT NULL,
    stage              text,
    scenario           text,
    period_start       timestamptz NOT NULL,   -- from_date's first instant in the statistics zone
    period_end         timestamptz NOT NULL,   -- the day after to_date, or the time it was asked if earlier
    replayed           bigint      NOT NULL DEFAULT 0,
    total              bigint      NOT NULL DEFAULT 0,
    result             text,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    node               text        NOT NULL,
    failure_reason     text
);
CREATE INDEX simulation_created ON simulation (created_at DESC);
CREATE INDEX simulation_running ON simulation (node) WHERE status = 'RUNNING';
