-- Rollups: what the summary and the dashboard read, kept current by a statement trigger on events in the
-- same transaction as the events (a 204 still means everything is committed). Days are UTC days of
-- trigger_ts; weeks (Monday) are UTC weeks of received_at. docs/collector.md#rollups says what each serves.

-- events per day, trigger, version and platform: events_by_trigger
CREATE TABLE daily_events (
    day     date   NOT NULL,
    trigger text   NOT NULL,
    version text   NOT NULL,
    os      text   NOT NULL,
    arch    text   NOT NULL,
    events  bigint NOT NULL,
    PRIMARY KEY (day, trigger, version, os, arch)
);

-- one row per install and day it sent something (per version and platform it sent it with), with the
-- triggers it sent that day as bits: exact distinct installs over any window of days
CREATE TABLE install_days (
    day        date    NOT NULL,
    install_id uuid    NOT NULL,
    version    text    NOT NULL,
    os         text    NOT NULL,
    arch       text    NOT NULL,
    triggers   integer NOT NULL,
    PRIMARY KEY (day, install_id, version, os, arch)
);

-- installs active per received week, per version and over all versions (version ''): the adoption view
CREATE TABLE install_weeks (
    week       date NOT NULL,
    version    text NOT NULL,
    install_id uuid NOT NULL,
    PRIMARY KEY (week, version, install_id)
);
CREATE TABLE weekly_active (
    week     date   NOT NULL,
    version  text   NOT NULL,
    installs bigint NOT NULL,
    PRIMARY KEY (week, version)
);

-- one row per install: its first event (lowest sequence), the triggers it ever sent (bits) and its newest
-- event (highest sequence; ties: the lowest event_id) with that event's counters and capabilities
CREATE TABLE installs (
    install_id           uuid    PRIMARY KEY,
    steps                integer NOT NULL,
    first_sequence       bigint,
    first_event_id       text,
    first_day            date,
    first_version        text,
    newest_sequence      bigint,
    newest_event_id      text,
    newest_day           date,
    newest_version       text,
    newest_os            text,
    newest_arch          text,
    subcommand_counts    jsonb,
    tracer_selections    jsonb,
    feature_capabilities jsonb
);

-- the installs' newest events, summed by the day, version and platform of that event: figure 'installs'
-- counts them; 'subcommand' and 'tracer' sum each counter (installs: how many have the key); 'capability'
-- counts the installs with each flag true (installs: how many have the flag)
CREATE TABLE newest_daily (
    day      date    NOT NULL,
    version  text    NOT NULL,
    os       text    NOT NULL,
    arch     text    NOT NULL,
    figure   text    NOT NULL,
    key      text    NOT NULL,
    total    numeric NOT NULL,
    installs bigint  NOT NULL,
    PRIMARY KEY (day, version, os, arch, figure, key)
);

-- installs by the day and version of their first event and the triggers they ever sent: the funnel view
CREATE TABLE funnel_daily (
    day      date    NOT NULL,
    version  text    NOT NULL,
    steps    integer NOT NULL,
    installs bigint  NOT NULL,
    PRIMARY KEY (day, version, steps)
);

CREATE FUNCTION roar_trigger_bit(trigger text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE trigger
        WHEN 'first_seen_for_install_id' THEN 1 WHEN 'init' THEN 2 WHEN 'first_successful_roar_run' THEN 4
        WHEN 'second_successful_roar_run' THEN 8 WHEN 'third_successful_roar_run' THEN 16
        WHEN 'first_seen_for_version' THEN 32 WHEN 'reset' THEN 64 WHEN 'register' THEN 128 ELSE 256 END
$$;

-- what one install's newest event adds to newest_daily
CREATE FUNCTION roar_newest_parts(subcommand_counts jsonb, tracer_selections jsonb, feature_capabilities jsonb)
    RETURNS TABLE (figure text, key text, total numeric) LANGUAGE sql IMMUTABLE AS $$
    SELECT 'installs', '', 0::numeric
    UNION ALL SELECT 'subcommand', s.key, s.value::numeric FROM jsonb_each_text(subcommand_counts) s
    UNION ALL SELECT 'tracer', t.key, t.value::numeric FROM jsonb_each_text(tracer_selections) t
    UNION ALL SELECT 'capability', f.key, (f.value = 'true'::jsonb)::int FROM jsonb_each(feature_capabilities) f
              WHERE jsonb_typeof(f.value) = 'boolean'
$$;

-- Adds sign * each install's contribution to newest_daily and funnel_daily (sign -1 takes an old state out).
CREATE FUNCTION roar_apply_installs(before installs[], after installs[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO newest_daily AS n (day, version, os, arch, figure, key, total, installs)
    SELECT i.newest_day, i.newest_version, i.newest_os, i.newest_arch, p.figure, p.key,
           sum(i.sign * p.total), sum(i.sign)
    FROM (SELECT -1 AS sign, * FROM unnest(before) UNION ALL SELECT 1, * FROM unnest(after)) i,
         LATERAL roar_newest_parts(i.subcommand_counts, i.tracer_selections, i.feature_capabilities) p
    WHERE i.newest_sequence IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(i.sign) <> 0 OR sum(i.sign * p.total) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (day, version, os, arch, figure, key)
        DO UPDATE SET total = n.total + EXCLUDED.total, installs = n.installs + EXCLUDED.installs;

    INSERT INTO funnel_daily AS f (day, version, steps, installs)
    SELECT i.first_day, i.first_version, i.steps, sum(i.sign)
    FROM (SELECT -1 AS sign, * FROM unnest(before) UNION ALL SELECT 1, * FROM unnest(after)) i
    WHERE i.first_sequence IS NOT NULL
    GROUP BY 1, 2, 3
    HAVING sum(i.sign) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT (day, version, steps) DO UPDATE SET installs = f.installs + EXCLUDED.installs;
END $$;

CREATE FUNCTION roar_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before installs[];
    after installs[];
BEGIN
    -- every upsert takes its rows in key order, and the tables in one order: two writers never deadlock
    INSERT INTO daily_events AS d (day, trigger, version, os, arch, events)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, count(*)
    FROM new_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, trigger, version, os, arch) DO UPDATE SET events = d.events + EXCLUDED.events;

    INSERT INTO install_days AS a (day, install_id, version, os, arch, triggers)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch, bit_or(roar_trigger_bit(trigger))
    FROM new_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, install_id, version, os, arch) DO UPDATE SET triggers = a.triggers | EXCLUDED.triggers
        WHERE a.triggers <> a.triggers | EXCLUDED.triggers;

    WITH fresh AS (
        INSERT INTO install_weeks (week, version, install_id)
        SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date, v.version, install_id
        FROM new_events, LATERAL (VALUES (new_events.version), ('')) AS v(version)
        ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
        RETURNING week, version)
    INSERT INTO weekly_active AS w (week, version, installs)
    SELECT week, version, count(*) FROM fresh GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (week, version) DO UPDATE SET installs = w.installs + EXCLUDED.installs;

    -- the installs of this batch: a row for each (a new one empty), then all of them locked, so the state
    -- read below is the latest committed one and no other writer changes it before this commit
    INSERT INTO installs (install_id, steps)
    SELECT DISTINCT install_id, 0 FROM new_events ORDER BY 1
    ON CONFLICT (install_id) DO NOTHING;
    PERFORM 1 FROM installs WHERE install_id IN (SELECT install_id FROM new_events) ORDER BY install_id FOR UPDATE;
    SELECT array_agg(installs ORDER BY install_id) INTO before
    FROM installs WHERE install_id IN (SELECT install_id FROM new_events);

    WITH firsts AS (
        SELECT DISTINCT ON (install_id) install_id, sequence, event_id, (trigger_ts AT TIME ZONE 'UTC')::date AS day, version
        FROM new_events ORDER BY install_id, sequence, event_id),
    newests AS (
        SELECT DISTINCT ON (install_id) install_id, sequence, event_id, (trigger_ts AT TIME ZONE 'UTC')::date AS day,
               version, os, arch, payload
        FROM new_events ORDER BY install_id, sequence DESC, event_id),
    steps AS (SELECT install_id, bit_or(roar_trigger_bit(trigger)) AS bits FROM new_events GROUP BY install_id),
    merged AS (
        SELECT s.install_id, s.bits, f, n,
               cur.first_sequence IS NULL OR (f.sequence, f.event_id) < (cur.first_sequence, cur.first_event_id) AS first_wins,
               cur.newest_sequence IS NULL OR n.sequence > cur.newest_sequence
                   OR (n.sequence = cur.newest_sequence AND n.event_id < cur.newest_event_id) AS newest_wins
        FROM steps s JOIN firsts f USING (install_id) JOIN newests n USING (install_id)
             JOIN installs cur USING (install_id)),
    updated AS (
        UPDATE installs i SET
            steps = i.steps | m.bits,
            first_sequence = CASE WHEN m.first_wins THEN (m.f).sequence ELSE i.first_sequence END,
            first_event_id = CASE WHEN m.first_wins THEN (m.f).event_id ELSE i.first_event_id END,
            first_day = CASE WHEN m.first_wins THEN (m.f).day ELSE i.first_day END,
            first_version = CASE WHEN m.first_wins THEN (m.f).version ELSE i.first_version END,
            newest_sequence = CASE WHEN m.newest_wins THEN (m.n).sequence ELSE i.newest_sequence END,
            newest_event_id = CASE WHEN m.newest_wins THEN (m.n).event_id ELSE i.newest_event_id END,
            newest_day = CASE WHEN m.newest_wins THEN (m.n).day ELSE i.newest_day END,
            newest_version = CASE WHEN m.newest_wins THEN (m.n).version ELSE i.newest_version END,
            newest_os = CASE WHEN m.newest_wins THEN (m.n).os ELSE i.newest_os END,
            newest_arch = CASE WHEN m.newest_wins THEN (m.n).arch ELSE i.newest_arch END,
            subcommand_counts = CASE WHEN m.newest_wins THEN (m.n).payload->'subcommand_counts' ELSE i.subcommand_counts END,
            tracer_selections = CASE WHEN m.newest_wins THEN (m.n).payload->'tracer_selections' ELSE i.tracer_selections END,
            feature_capabilities = CASE WHEN m.newest_wins THEN (m.n).payload->'feature_capabilities'
                                        ELSE i.feature_capabilities END
        FROM merged m WHERE i.install_id = m.install_id
        RETURNING i AS state)
    SELECT array_agg(state ORDER BY (state).install_id) INTO after FROM updated;

    PERFORM roar_apply_installs(before, after);
    RETURN NULL;
END $$;

CREATE TRIGGER events_rollup AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION roar_rollup_events();

-- Rebuilds every rollup from the events, set-based (the migration of a database holding events, and the
-- benchmark's bulk load, which inserts with the trigger off).
CREATE FUNCTION roar_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE daily_events, install_days, install_weeks, weekly_active, installs, newest_daily, funnel_daily;
    INSERT INTO daily_events
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, count(*) FROM events GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO install_days
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch, bit_or(roar_trigger_bit(trigger))
    FROM events GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO install_weeks
    SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date, v.version, install_id
    FROM events, LATERAL (VALUES (events.version), ('')) AS v(version);
    INSERT INTO weekly_active SELECT week, version, count(*) FROM install_weeks GROUP BY 1, 2;
    INSERT INTO installs
    SELECT s.install_id, s.bits, f.sequence, f.event_id, f.day, f.version,
           n.sequence, n.event_id, n.day, n.version, n.os, n.arch,
           n.payload->'subcommand_counts', n.payload->'tracer_selections', n.payload->'feature_capabilities'
    FROM (SELECT install_id, bit_or(roar_trigger_bit(trigger)) AS bits FROM events GROUP BY install_id) s
    JOIN (SELECT DISTINCT ON (install_id) install_id, sequence, event_id, (trigger_ts AT TIME ZONE 'UTC')::date AS day, version
          FROM events ORDER BY install_id, sequence, event_id) f USING (install_id)
    JOIN (SELECT DISTINCT ON (install_id) install_id, sequence, event_id, (trigger_ts AT TIME ZONE 'UTC')::date AS day,
                 version, os, arch, payload
          FROM events ORDER BY install_id, sequence DESC, event_id) n USING (install_id);
    INSERT INTO newest_daily
    SELECT i.newest_day, i.newest_version, i.newest_os, i.newest_arch, p.figure, p.key, sum(p.total), count(*)
    FROM installs i, LATERAL roar_newest_parts(i.subcommand_counts, i.tracer_selections, i.feature_capabilities) p
    GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO funnel_daily SELECT first_day, first_version, steps, count(*) FROM installs GROUP BY 1, 2, 3;
END $$;

SELECT roar_rebuild_rollups();
