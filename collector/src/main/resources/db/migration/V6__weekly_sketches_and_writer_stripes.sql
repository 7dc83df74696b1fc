-- What a year of telemetry costs to read and to write (docs/collector.md#rollups, measured under #scaling):
-- 1. Weekly sketches: a window's whole ISO weeks (Monday to Sunday, UTC) read one sketch per week from
--    weekly_installs, weekly_triggers and weekly_received_installs, only its edge days the daily ones: a
--    365-day window unions ~60 buckets' sketches, not 365. Kept by the same trigger, in the same transaction.
-- 2. Sketches stored inline (STORAGE PLAIN, at most 2.6 KB each): no TOAST lookup to read one, and today's
--    sketch rows rewritten in their page instead of as a new out-of-line value per batch.
-- 3. Writer stripes: every rollup row a batch updates carries the writer slot that stored it (the collector's
--    writer thread, roar.writer; 0 for any other insert), so concurrent writers update their own rows of today
--    instead of queueing on one row each until the other's commit (and its WAL flush). The figures add up, or
--    union, the stripes: every reading groups them away already.
-- 4. Two indexes on events no reading uses any more (every figure reads the rollups): each cost an index
--    entry per event stored, one of them at a random place (install_id).
DROP INDEX events_trigger_ts;
DROP INDEX events_install_sequence;

-- the Monday of a day's ISO week
CREATE FUNCTION roar_week(d date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d - (extract(isodow FROM d)::int - 1)
$$;

ALTER TABLE daily_events ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE daily_events DROP CONSTRAINT daily_events_pkey, ADD PRIMARY KEY (day, trigger, version, os, arch, writer);
ALTER TABLE daily_installs ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE daily_installs DROP CONSTRAINT daily_installs_pkey, ADD PRIMARY KEY (day, version, os, arch, writer);
ALTER TABLE daily_trigger_installs ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE daily_trigger_installs DROP CONSTRAINT daily_trigger_installs_pkey,
    ADD PRIMARY KEY (day, trigger, version, writer);
ALTER TABLE received_installs ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE received_installs DROP CONSTRAINT received_installs_pkey, ADD PRIMARY KEY (day, version, writer);
ALTER TABLE funnel_days ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE funnel_days DROP CONSTRAINT funnel_days_pkey,
    ADD PRIMARY KEY (first_day, first_version, step, step_day, writer);
ALTER TABLE newest_days ADD COLUMN writer smallint NOT NULL DEFAULT 0;
ALTER TABLE newest_days DROP CONSTRAINT newest_days_pkey, ADD PRIMARY KEY (day, version, os, arch, kind, key, writer);

ALTER TABLE daily_installs ALTER installs SET STORAGE PLAIN;
ALTER TABLE daily_trigger_installs ALTER installs SET STORAGE PLAIN;
ALTER TABLE received_installs ALTER installs SET STORAGE PLAIN;
-- the stored sketches moved inline (the text form round-trips a sketch unchanged)
UPDATE daily_installs SET installs = installs::text::hll;
UPDATE daily_trigger_installs SET installs = installs::text::hll;
UPDATE received_installs SET installs = installs::text::hll;

-- installs per ISO week (Monday, of trigger_ts), version and platform
CREATE TABLE weekly_installs (
    week     date     NOT NULL,
    version  text     NOT NULL,
    os       text     NOT NULL,
    arch     text     NOT NULL,
    writer   smallint NOT NULL DEFAULT 0,
    installs hll      NOT NULL,
    PRIMARY KEY (week, version, os, arch, writer)
);
-- events and installs per ISO week, trigger and version
CREATE TABLE weekly_triggers (
    week     date     NOT NULL,
    trigger  text     NOT NULL,
    version  text     NOT NULL,
    writer   smallint NOT NULL DEFAULT 0,
    events   bigint   NOT NULL,
    installs hll      NOT NULL,
    PRIMARY KEY (week, trigger, version, writer)
);
-- installs per ISO week received (received_at) and version: weekly active installs
CREATE TABLE weekly_received_installs (
    week     date     NOT NULL,
    version  text     NOT NULL,
    writer   smallint NOT NULL DEFAULT 0,
    installs hll      NOT NULL,
    PRIMARY KEY (week, version, writer)
);
ALTER TABLE weekly_installs ALTER installs SET STORAGE PLAIN;
ALTER TABLE weekly_triggers ALTER installs SET STORAGE PLAIN;
ALTER TABLE weekly_received_installs ALTER installs SET STORAGE PLAIN;

-- The weekly rows from the daily ones (a week's sketch is the union of its days').
CREATE FUNCTION roar_rebuild_weeks() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE weekly_installs, weekly_triggers, weekly_received_installs;
    INSERT INTO weekly_installs (week, version, os, arch, installs)
    SELECT roar_week(day), version, os, arch, hll_union_agg(installs) FROM daily_installs GROUP BY 1, 2, 3, 4;
    INSERT INTO weekly_triggers (week, trigger, version, events, installs)
    SELECT week, trigger, version, e.events, i.installs
    FROM (SELECT roar_week(day) AS week, trigger, version, sum(events)::bigint AS events FROM daily_events GROUP BY 1, 2, 3) e
    JOIN (SELECT roar_week(day) AS week, trigger, version, hll_union_agg(installs) AS installs
          FROM daily_trigger_installs GROUP BY 1, 2, 3) i USING (week, trigger, version);
    INSERT INTO weekly_received_installs (week, version, installs)
    SELECT roar_week(day), version, hll_union_agg(installs) FROM received_installs GROUP BY 1, 2;
END $$;

SELECT roar_rebuild_weeks();

CREATE OR REPLACE FUNCTION roar_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- the collector's writer thread sets it for its transaction; any other insert counts as writer 0
    w smallint := coalesce(nullif(current_setting('roar.writer', true), ''), '0')::smallint;
BEGIN
    -- every upsert takes its rows in key order, and the tables in one order: two writers never deadlock
    INSERT INTO daily_events AS d (day, trigger, version, os, arch, writer, events)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, w, count(*)
    FROM new_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, trigger, version, os, arch, writer) DO UPDATE SET events = d.events + EXCLUDED.events;

    -- a sketch row is rewritten only when the union changed it
    WITH batch AS MATERIALIZED (
        SELECT (trigger_ts AT TIME ZONE 'UTC')::date AS day, version, os, arch,
               hll_add_agg(hll_hash_text(install_id::text), 12, 5) AS installs
        FROM new_events GROUP BY 1, 2, 3, 4),
    days AS (
        INSERT INTO daily_installs AS d (day, version, os, arch, writer, installs)
        SELECT day, version, os, arch, w, installs FROM batch ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, version, os, arch, writer) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
            WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs)
    INSERT INTO weekly_installs AS d (week, version, os, arch, writer, installs)
    SELECT roar_week(day), version, os, arch, w, hll_union_agg(installs) FROM batch GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (week, version, os, arch, writer) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
        WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs;

    WITH batch AS MATERIALIZED (
        SELECT (trigger_ts AT TIME ZONE 'UTC')::date AS day, trigger, version, count(*) AS events,
               hll_add_agg(hll_hash_text(install_id::text), 12, 5) AS installs
        FROM new_events GROUP BY 1, 2, 3),
    days AS (
        INSERT INTO daily_trigger_installs AS d (day, trigger, version, writer, installs)
        SELECT day, trigger, version, w, installs FROM batch ORDER BY 1, 2, 3
        ON CONFLICT (day, trigger, version, writer) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
            WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs)
    INSERT INTO weekly_triggers AS d (week, trigger, version, writer, events, installs)
    SELECT roar_week(day), trigger, version, w, sum(events), hll_union_agg(installs) FROM batch
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (week, trigger, version, writer) DO UPDATE
        SET events = d.events + EXCLUDED.events, installs = hll_union(d.installs, EXCLUDED.installs);

    WITH batch AS MATERIALIZED (
        SELECT (received_at AT TIME ZONE 'UTC')::date AS day, version,
               hll_add_agg(hll_hash_text(install_id::text), 12, 5) AS installs
        FROM new_events GROUP BY 1, 2),
    days AS (
        INSERT INTO received_installs AS d (day, version, writer, installs)
        SELECT day, version, w, installs FROM batch ORDER BY 1, 2
        ON CONFLICT (day, version, writer) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
            WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs)
    INSERT INTO weekly_received_installs AS d (week, version, writer, installs)
    SELECT roar_week(day), version, w, hll_union_agg(installs) FROM batch GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (week, version, writer) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
        WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs;

    -- the batch's installs: a row for each new one, then each locked (key order), then in one statement the old
    -- row's contributions taken from funnel_days and newest_days and the updated row's added
    INSERT INTO installs (install_id) SELECT DISTINCT install_id FROM new_events ORDER BY 1 ON CONFLICT DO NOTHING;
    PERFORM 1 FROM installs WHERE install_id IN (SELECT install_id FROM new_events) ORDER BY install_id FOR UPDATE;
    WITH ev AS (SELECT *, (trigger_ts AT TIME ZONE 'UTC')::date AS day FROM new_events),
    firsts AS (SELECT DISTINCT ON (install_id) install_id, day, version FROM ev
               WHERE trigger = 'first_seen_for_install_id' ORDER BY install_id, day, version),
    steps AS (SELECT install_id, min(day) FILTER (WHERE trigger = 'init') AS init_day,
                     min(day) FILTER (WHERE trigger = 'first_successful_roar_run') AS run1_day,
                     min(day) FILTER (WHERE trigger = 'second_successful_roar_run') AS run2_day,
                     min(day) FILTER (WHERE trigger = 'third_successful_roar_run') AS run3_day
              FROM ev GROUP BY install_id),
    newest AS (SELECT DISTINCT ON (install_id) * FROM ev ORDER BY install_id, sequence DESC, event_id),
    facts AS (
      SELECT n.install_id, f.day AS first_day, f.version AS first_version, s.init_day, s.run1_day, s.run2_day, s.run3_day,
             n.sequence AS newest_sequence, n.event_id AS newest_event_id, n.day AS newest_day, n.version AS newest_version,
             n.os AS newest_os, n.arch AS newest_arch, n.payload->'subcommand_counts' AS subcommand_counts,
             n.payload->'tracer_selections' AS tracer_selections, n.payload->'feature_capabilities' AS feature_capabilities
      FROM newest n JOIN steps s USING (install_id) LEFT JOIN firsts f USING (install_id)),
    old AS (SELECT i.* FROM installs i JOIN facts USING (install_id)),
    changed AS (
        UPDATE installs i SET
            first_day = CASE WHEN f.first_day IS NOT NULL AND (i.first_day IS NULL
                               OR (f.first_day, f.first_version) < (i.first_day, i.first_version)) THEN f.first_day ELSE i.first_day END,
            first_version = CASE WHEN f.first_day IS NOT NULL AND (i.first_day IS NULL
                               OR (f.first_day, f.first_version) < (i.first_day, i.first_version)) THEN f.first_version ELSE i.first_version END,
            init_day = least(i.init_day, f.init_day), run1_day = least(i.run1_day, f.run1_day),
            run2_day = least(i.run2_day, f.run2_day), run3_day = least(i.run3_day, f.run3_day),
            newest_sequence = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_sequence ELSE i.newest_sequence END,
            newest_event_id = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_event_id ELSE i.newest_event_id END,
            newest_day = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_day ELSE i.newest_day END,
            newest_version = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_version ELSE i.newest_version END,
            newest_os = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_os ELSE i.newest_os END,
            newest_arch = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.newest_arch ELSE i.newest_arch END,
            subcommand_counts = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.subcommand_counts ELSE i.subcommand_counts END,
            tracer_selections = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.tracer_selections ELSE i.tracer_selections END,
            feature_capabilities = CASE WHEN i.newest_sequence IS NULL OR (f.newest_sequence, i.newest_event_id) > (i.newest_sequence, f.newest_event_id) THEN f.feature_capabilities ELSE i.feature_capabilities END
        FROM facts f
        WHERE i.install_id = f.install_id
        RETURNING i.*),
    funnel AS (
        INSERT INTO funnel_days AS d (first_day, first_version, step, step_day, writer, installs)
        SELECT r.first_day, r.first_version, r.step, r.step_day, w, sum(x.sign)
        FROM (SELECT 1 AS sign, ROW(c.*)::installs AS install FROM changed c UNION ALL SELECT -1, ROW(o.*)::installs FROM old o) x,
             roar_funnel_rows(x.install) r
        GROUP BY 1, 2, 3, 4 HAVING sum(x.sign) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (first_day, first_version, step, step_day, writer) DO UPDATE SET installs = d.installs + EXCLUDED.installs)
    INSERT INTO newest_days AS d (day, version, os, arch, kind, key, writer, installs, total)
    SELECT r.day, r.version, r.os, r.arch, r.kind, r.key, w, sum(x.sign * r.installs), sum(x.sign * r.total)
    FROM (SELECT 1 AS sign, ROW(c.*)::installs AS install FROM changed c UNION ALL SELECT -1, ROW(o.*)::installs FROM old o) x,
         roar_newest_rows(x.install) r
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(x.sign * r.installs) <> 0 OR sum(x.sign * r.total) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (day, version, os, arch, kind, key, writer) DO UPDATE
        SET installs = d.installs + EXCLUDED.installs, total = d.total + EXCLUDED.total;
    RETURN NULL;
END $$;

-- As before, and the weekly rows from the daily ones; everything under writer 0.
CREATE OR REPLACE FUNCTION roar_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE daily_events, daily_installs, daily_trigger_installs, received_installs, installs, funnel_days, newest_days;
    WITH ev AS MATERIALIZED (
        SELECT install_id, trigger, sequence, event_id, received_at, version, os, arch,
               (trigger_ts AT TIME ZONE 'UTC')::date AS day, (received_at AT TIME ZONE 'UTC')::date AS received_day,
               hll_hash_text(install_id::text) AS hash
        FROM events),
    by_trigger AS (
        INSERT INTO daily_events (day, trigger, version, os, arch, events)
        SELECT day, trigger, version, os, arch, count(*) FROM ev GROUP BY 1, 2, 3, 4, 5),
    by_platform AS (
        INSERT INTO daily_installs (day, version, os, arch, installs)
        SELECT day, version, os, arch, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2, 3, 4),
    trigger_installs AS (
        INSERT INTO daily_trigger_installs (day, trigger, version, installs)
        SELECT day, trigger, version, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2, 3),
    received AS (
        INSERT INTO received_installs (day, version, installs)
        SELECT received_day, version, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2),
    firsts AS (SELECT DISTINCT ON (install_id) install_id, day, version FROM ev
               WHERE trigger = 'first_seen_for_install_id' ORDER BY install_id, day, version),
    steps AS (SELECT install_id, min(day) FILTER (WHERE trigger = 'init') AS init_day,
                     min(day) FILTER (WHERE trigger = 'first_successful_roar_run') AS run1_day,
                     min(day) FILTER (WHERE trigger = 'second_successful_roar_run') AS run2_day,
                     min(day) FILTER (WHERE trigger = 'third_successful_roar_run') AS run3_day
              FROM ev GROUP BY install_id),
    newest AS (SELECT DISTINCT ON (install_id) * FROM ev ORDER BY install_id, sequence DESC, event_id)
    -- each newest event's counters fetched by its key
    INSERT INTO installs
    SELECT n.install_id, f.day, f.version, s.init_day, s.run1_day, s.run2_day, s.run3_day,
           n.sequence, n.event_id, n.day, n.version, n.os, n.arch,
           e.payload->'subcommand_counts', e.payload->'tracer_selections', e.payload->'feature_capabilities'
    FROM newest n JOIN steps s USING (install_id) LEFT JOIN firsts f USING (install_id)
         JOIN events e ON e.event_id = n.event_id AND e.received_at = n.received_at
    ORDER BY n.install_id;
    INSERT INTO funnel_days (first_day, first_version, step, step_day, installs)
    SELECT r.first_day, r.first_version, r.step, r.step_day, count(*) FROM installs i, roar_funnel_rows(i) r GROUP BY 1, 2, 3, 4;
    INSERT INTO newest_days (day, version, os, arch, kind, key, installs, total)
    SELECT r.day, r.version, r.os, r.arch, r.kind, r.key, sum(r.installs), sum(r.total)
    FROM installs i, roar_newest_rows(i) r GROUP BY 1, 2, 3, 4, 5, 6;
    PERFORM roar_rebuild_weeks();
END $$;
