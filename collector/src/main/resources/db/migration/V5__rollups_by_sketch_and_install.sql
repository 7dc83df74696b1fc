-- Rollups a year of telemetry reads in milliseconds (docs/collector.md#rollups): distinct installs from
-- per-day HyperLogLog sketches (the hll extension, Debian's postgresql-15-hll; 4,096 registers: about 1.6 %
-- standard error, exact below a few hundred installs), the funnel and the newest-event figures from counters
-- kept per day by one row per install. All kept by the statement trigger on events, in the writers'
-- transaction. Replaces install_days (one row per install and day: as many rows as events) and install_weeks.
CREATE EXTENSION IF NOT EXISTS hll;

DROP TRIGGER events_rollup ON events;
DROP FUNCTION roar_rollup_events();
DROP FUNCTION roar_rebuild_rollups();
DROP TABLE install_days;
DROP TABLE install_weeks;

-- installs per day (of trigger_ts), version and platform: installs seen, by version, by platform
CREATE TABLE daily_installs (
    day      date NOT NULL,
    version  text NOT NULL,
    os       text NOT NULL,
    arch     text NOT NULL,
    installs hll  NOT NULL,
    PRIMARY KEY (day, version, os, arch)
);

-- installs per day, trigger and version: the installs that sent each trigger
CREATE TABLE daily_trigger_installs (
    day      date NOT NULL,
    trigger  text NOT NULL,
    version  text NOT NULL,
    installs hll  NOT NULL,
    PRIMARY KEY (day, trigger, version)
);

-- installs per day received (received_at) and version: weekly active installs, a week the union of its days
CREATE TABLE received_installs (
    day      date NOT NULL,
    version  text NOT NULL,
    installs hll  NOT NULL,
    PRIMARY KEY (day, version)
);

-- One row per install: the day and version of its first first_seen_for_install_id (the earliest day; on that
-- day the lowest version), the first day of each later funnel step, and its newest event (highest sequence,
-- ties: the lowest event_id) with that event's day, version, platform, counters and capabilities.
CREATE TABLE installs (
    install_id           uuid PRIMARY KEY,
    first_day            date,
    first_version        text,
    init_day             date,
    run1_day             date,
    run2_day             date,
    run3_day             date,
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

-- the funnel: installs first seen on first_day with first_version that reached step first on step_day
CREATE TABLE funnel_days (
    first_day     date   NOT NULL,
    first_version text   NOT NULL,
    step          text   NOT NULL,
    step_day      date   NOT NULL,
    installs      bigint NOT NULL,
    PRIMARY KEY (first_day, first_version, step, step_day)
);

-- the installs whose newest event is of day, version and platform: kind 'i' counts them (key ''); 's' and 't'
-- per subcommand_counts and tracer_selections key the installs having it and its summed value; 'c' per boolean
-- capability the installs having it (installs) and having it true (total)
CREATE TABLE newest_days (
    day      date    NOT NULL,
    version  text    NOT NULL,
    os       text    NOT NULL,
    arch     text    NOT NULL,
    kind     text    NOT NULL,
    key      text    NOT NULL,
    installs bigint  NOT NULL,
    total    numeric NOT NULL,
    PRIMARY KEY (day, version, os, arch, kind, key)
);

-- What one install row adds to funnel_days (and takes away when it changes).
CREATE FUNCTION roar_funnel_rows(i installs) RETURNS TABLE (first_day date, first_version text, step text, step_day date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT i.first_day, i.first_version, s.step, s.day
    FROM (VALUES ('first_seen_for_install_id', i.first_day), ('init', i.init_day), ('first_successful_roar_run', i.run1_day),
                 ('second_successful_roar_run', i.run2_day), ('third_successful_roar_run', i.run3_day)) AS s(step, day)
    WHERE i.first_day IS NOT NULL AND s.day IS NOT NULL
$$;

-- What one install row adds to newest_days.
CREATE FUNCTION roar_newest_rows(i installs)
RETURNS TABLE (day date, version text, os text, arch text, kind text, key text, installs bigint, total numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT i.newest_day, i.newest_version, i.newest_os, i.newest_arch, x.kind, x.key, x.installs, x.total
    FROM (SELECT 'i' AS kind, '' AS key, 1::bigint AS installs, 0::numeric AS total
          UNION ALL SELECT 's', key, 1, value::numeric FROM jsonb_each_text(i.subcommand_counts)
          UNION ALL SELECT 't', key, 1, value::numeric FROM jsonb_each_text(i.tracer_selections)
          UNION ALL SELECT 'c', key, 1, CASE WHEN value = 'true'::jsonb THEN 1 ELSE 0 END
                    FROM jsonb_each(i.feature_capabilities) WHERE jsonb_typeof(value) = 'boolean') x
    WHERE i.newest_day IS NOT NULL
$$;

CREATE FUNCTION roar_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- every upsert takes its rows in key order, and the tables in one order: two writers never deadlock
    INSERT INTO daily_events AS d (day, trigger, version, os, arch, events)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, count(*)
    FROM new_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, trigger, version, os, arch) DO UPDATE SET events = d.events + EXCLUDED.events;

    INSERT INTO daily_installs AS d (day, version, os, arch, installs)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, version, os, arch, hll_add_agg(hll_hash_text(install_id::text), 12, 5)
    FROM new_events GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, version, os, arch) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
        WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs;

    INSERT INTO daily_trigger_installs AS d (day, trigger, version, installs)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, hll_add_agg(hll_hash_text(install_id::text), 12, 5)
    FROM new_events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (day, trigger, version) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
        WHERE hll_union(d.installs, EXCLUDED.installs) <> d.installs;

    INSERT INTO received_installs AS d (day, version, installs)
    SELECT (received_at AT TIME ZONE 'UTC')::date, version, hll_add_agg(hll_hash_text(install_id::text), 12, 5)
    FROM new_events GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, version) DO UPDATE SET installs = hll_union(d.installs, EXCLUDED.installs)
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
        INSERT INTO funnel_days AS d (first_day, first_version, step, step_day, installs)
        SELECT r.first_day, r.first_version, r.step, r.step_day, sum(x.sign)
        FROM (SELECT 1 AS sign, ROW(c.*)::installs AS install FROM changed c UNION ALL SELECT -1, ROW(o.*)::installs FROM old o) x,
             roar_funnel_rows(x.install) r
        GROUP BY 1, 2, 3, 4 HAVING sum(x.sign) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (first_day, first_version, step, step_day) DO UPDATE SET installs = d.installs + EXCLUDED.installs)
    INSERT INTO newest_days AS d (day, version, os, arch, kind, key, installs, total)
    SELECT r.day, r.version, r.os, r.arch, r.kind, r.key, sum(x.sign * r.installs), sum(x.sign * r.total)
    FROM (SELECT 1 AS sign, ROW(c.*)::installs AS install FROM changed c UNION ALL SELECT -1, ROW(o.*)::installs FROM old o) x,
         roar_newest_rows(x.install) r
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(x.sign * r.installs) <> 0 OR sum(x.sign * r.total) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (day, version, os, arch, kind, key) DO UPDATE
        SET installs = d.installs + EXCLUDED.installs, total = d.total + EXCLUDED.total;
    RETURN NULL;
END $$;

CREATE TRIGGER events_rollup AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION roar_rollup_events();

-- Rebuilds every rollup from the events, set-based, in one narrow pass over them (this migration on a database
-- holding events, and the benchmark's bulk load, which inserts with the trigger off).
CREATE FUNCTION roar_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE daily_events, daily_installs, daily_trigger_installs, received_installs, installs, funnel_days, newest_days;
    WITH ev AS MATERIALIZED (
        SELECT install_id, trigger, sequence, event_id, received_at, version, os, arch,
               (trigger_ts AT TIME ZONE 'UTC')::date AS day, (received_at AT TIME ZONE 'UTC')::date AS received_day,
               hll_hash_text(install_id::text) AS hash
        FROM events),
    by_trigger AS (
        INSERT INTO daily_events SELECT day, trigger, version, os, arch, count(*) FROM ev GROUP BY 1, 2, 3, 4, 5),
    by_platform AS (
        INSERT INTO daily_installs SELECT day, version, os, arch, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2, 3, 4),
    trigger_installs AS (
        INSERT INTO daily_trigger_installs SELECT day, trigger, version, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2, 3),
    received AS (
        INSERT INTO received_installs SELECT received_day, version, hll_add_agg(hash, 12, 5) FROM ev GROUP BY 1, 2),
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
    INSERT INTO funnel_days
    SELECT r.first_day, r.first_version, r.step, r.step_day, count(*) FROM installs i, roar_funnel_rows(i) r GROUP BY 1, 2, 3, 4;
    INSERT INTO newest_days
    SELECT r.day, r.version, r.os, r.arch, r.kind, r.key, sum(r.installs), sum(r.total)
    FROM installs i, roar_newest_rows(i) r GROUP BY 1, 2, 3, 4, 5, 6;
END $$;

SELECT roar_rebuild_rollups();
