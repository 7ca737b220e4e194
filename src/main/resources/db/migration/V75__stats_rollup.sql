-- Daily rollup of the statistics (issue 18: the 总览 page with 30 days in ≤ 300 ms). A closed day's figures are
-- computed once (StatsRollup) and read back as a few hundred rows instead of re-aggregating its audits and findings
-- on every page view; the open day (today) and any day without a valid rollup are still computed live from
-- audit_record / audit_finding / disposition, by the same rules.
--
-- A day's rollup holds, per stage, exactly what the live queries would sum for it. Everything the statistics count is
-- additive over days and stages because an audit and all its findings share one created_at (one writer batch) and one
-- stage: distinct audits per group and each flagged line once per group and audit do not cross days or stages.
--
-- Validity without locks: a rollup stores the snapshot it was computed in (pg_snapshot). Anything that changes
-- what a past day counts after the fact appends a stats_stale row (instants and its transaction id): a disposition
-- (trigger below), a batch of audit records written late (the record writer, after an outage), the retention
-- dropping a month. A rollup is valid while every stats_stale row overlapping its day is visible in its snapshot;
-- otherwise the day is computed live until it is rolled up again. A change committed while a rollup is being
-- computed is not visible in that rollup's snapshot, so it cannot be lost between the two.

CREATE TABLE stats_stale (
    at_from  timestamptz NOT NULL,
    at_to    timestamptz NOT NULL,          -- inclusive
    txid     xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CHECK (at_to >= at_from)
);

-- One row per rolled-up (zone, day): the day's bounds in that zone and the snapshot its rows were computed in.
-- A day with no audits has this row and no data rows.
CREATE TABLE stats_rollup (
    zone       text        NOT NULL,
    day        date        NOT NULL,
    day_start  timestamptz NOT NULL,
    day_end    timestamptz NOT NULL,
    snap       pg_snapshot NOT NULL,
    rolled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, day)
);

-- GET /stats/daily per day and stage: audits by decision; findings, overridden and money of live (not SHADOW) rules.
CREATE TABLE stats_rollup_daily (
    zone        text    NOT NULL,
    day         date    NOT NULL,
    stage       text    NOT NULL,
    audits      bigint  NOT NULL,
    blocked     bigint  NOT NULL,
    warned      bigint  NOT NULL,
    passed      bigint  NOT NULL,
    findings    bigint  NOT NULL,
    overridden  bigint  NOT NULL,
    amount      numeric NOT NULL,
    PRIMARY KEY (zone, day, stage)
);

-- GET /stats/findings per day, stage, grouping (rule, department, doctor, item) and key, with the three ways a
-- ranking counts SHADOW findings: the live rules' findings (no prefix; shadow=exclude), the SHADOW rules' (s_;
-- shadow=only) and both (a_ for the two figures that do not add up: distinct audits and line-once money;
-- shadow=include). name/name_at: the latest name any finding of the key gave (sname: of a SHADOW finding), with its
-- time, so that the latest over several days and stages can be picked.
CREATE TABLE stats_rollup_group (
    zone          text        NOT NULL,
    day           date        NOT NULL,
    stage         text        NOT NULL,
    dim           text        NOT NULL,
    key           text,
    name          text,
    name_at       timestamptz,
    sname         text,
    sname_at      timestamptz,
    audits        bigint      NOT NULL,
    findings      bigint      NOT NULL,
    blocked       bigint      NOT NULL,
    overridden    bigint      NOT NULL,
    self_pay      bigint      NOT NULL,
    modified      bigint      NOT NULL,
    exempted      bigint      NOT NULL,
    amount        numeric     NOT NULL,
    s_audits      bigint      NOT NULL,
    s_findings    bigint      NOT NULL,
    s_blocked     bigint      NOT NULL,
    s_overridden  bigint      NOT NULL,
    s_self_pay    bigint      NOT NULL,
    s_modified    bigint      NOT NULL,
    s_exempted    bigint      NOT NULL,
    s_amount      numeric     NOT NULL,
    a_audits      bigint      NOT NULL,
    a_amount      numeric     NOT NULL
);
CREATE INDEX stats_rollup_group_day ON stats_rollup_group (zone, dim, day);
CREATE INDEX stats_rollup_group_of_day ON stats_rollup_group (zone, day);

-- A disposition (new, or a DBA's correction) changes the figures of its finding's day: the instants of the findings
-- named by the statement, one row per statement. Each finding is probed by its id in each month's primary key (the
-- LIMIT keeps the planner from joining a transition table of unknown size by scanning audit_finding).
CREATE FUNCTION stats_stale_disposition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_stale (at_from, at_to)
            SELECT min(f.created_at), max(f.created_at) FROM old_rows n
            CROSS JOIN LATERAL (SELECT created_at FROM audit_finding WHERE finding_id = n.finding_id LIMIT 1) f
            HAVING count(*) > 0;
    ELSE
        INSERT INTO stats_stale (at_from, at_to)
            SELECT min(f.created_at), max(f.created_at) FROM new_rows n
            CROSS JOIN LATERAL (SELECT created_at FROM audit_finding WHERE finding_id = n.finding_id LIMIT 1) f
            HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER disposition_stats_insert AFTER INSERT ON disposition
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_stale_disposition();
CREATE TRIGGER disposition_stats_update AFTER UPDATE ON disposition
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_stale_disposition();
CREATE TRIGGER disposition_stats_delete AFTER DELETE ON disposition
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_stale_disposition();
