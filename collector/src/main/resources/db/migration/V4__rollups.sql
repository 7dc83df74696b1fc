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
-- triggers it sent that day as bits and the newest of those events (highest sequence, ties: the lowest
-- event_id) with its counters and capabilities: exact distinct installs, and each install's newest event,
-- over any window of days
CREATE TABLE install_days (
    day                  date    NOT NULL,
    install_id           uuid    NOT NULL,
    version              text    NOT NULL,
    os                   text    NOT NULL,
    arch                 text    NOT NULL,
    triggers             integer NOT NULL,
    newest_sequence      bigint  NOT NULL,
    newest_event_id      text    NOT NULL,
    subcommand_counts    jsonb,
    tracer_selections    jsonb,
    feature_capabilities jsonb,
    PRIMARY KEY (day, install_id, version, os, arch)
);

-- installs active per received week and version: the adoption view
CREATE TABLE install_weeks (
    week       date NOT NULL,
    version    text NOT NULL,
    install_id uuid NOT NULL,
    PRIMARY KEY (week, version, install_id)
);

CREATE FUNCTION roar_trigger_bit(trigger text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE trigger
        WHEN 'first_seen_for_install_id' THEN 1 WHEN 'init' THEN 2 WHEN 'first_successful_roar_run' THEN 4
        WHEN 'second_successful_roar_run' THEN 8 WHEN 'third_successful_roar_run' THEN 16
        WHEN 'first_seen_for_version' THEN 32 WHEN 'reset' THEN 64 WHEN 'register' THEN 128 ELSE 256 END
$$;

CREATE FUNCTION roar_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- every upsert takes its rows in key order, and the tables in one order: two writers never deadlock
    INSERT INTO daily_events AS d (day, trigger, version, os, arch, events)
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, count(*)
    FROM new_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, trigger, version, os, arch) DO UPDATE SET events = d.events + EXCLUDED.events;

    -- a row's newest event is replaced by a newer one: higher sequence, or the same and a lower event_id
    INSERT INTO install_days AS a (day, install_id, version, os, arch, triggers, newest_sequence, newest_event_id,
                                   subcommand_counts, tracer_selections, feature_capabilities)
    SELECT DISTINCT ON (1, 2, 3, 4, 5) (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch,
           bit_or(roar_trigger_bit(trigger)) OVER bucket, sequence, event_id,
           payload->'subcommand_counts', payload->'tracer_selections', payload->'feature_capabilities'
    FROM new_events
    WINDOW bucket AS (PARTITION BY (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch)
    ORDER BY 1, 2, 3, 4, 5, sequence DESC, event_id
    ON CONFLICT (day, install_id, version, os, arch) DO UPDATE SET
        triggers = a.triggers | EXCLUDED.triggers,
        newest_sequence = CASE WHEN (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id)
                               THEN EXCLUDED.newest_sequence ELSE a.newest_sequence END,
        newest_event_id = CASE WHEN (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id)
                               THEN EXCLUDED.newest_event_id ELSE a.newest_event_id END,
        subcommand_counts = CASE WHEN (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id)
                                 THEN EXCLUDED.subcommand_counts ELSE a.subcommand_counts END,
        tracer_selections = CASE WHEN (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id)
                                 THEN EXCLUDED.tracer_selections ELSE a.tracer_selections END,
        feature_capabilities = CASE WHEN (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id)
                                    THEN EXCLUDED.feature_capabilities ELSE a.feature_capabilities END
        WHERE a.triggers <> a.triggers | EXCLUDED.triggers
           OR (EXCLUDED.newest_sequence, a.newest_event_id) > (a.newest_sequence, EXCLUDED.newest_event_id);

    INSERT INTO install_weeks (week, version, install_id)
    SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date, version, install_id
    FROM new_events ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER events_rollup AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION roar_rollup_events();

-- Rebuilds every rollup from the events, set-based (the migration of a database holding events, and the
-- benchmark's bulk load, which inserts with the trigger off).
CREATE FUNCTION roar_rebuild_rollups() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE daily_events, install_days, install_weeks;
    INSERT INTO daily_events
    SELECT (trigger_ts AT TIME ZONE 'UTC')::date, trigger, version, os, arch, count(*) FROM events GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO install_days
    SELECT DISTINCT ON (1, 2, 3, 4, 5) (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch,
           bit_or(roar_trigger_bit(trigger)) OVER bucket, sequence, event_id,
           payload->'subcommand_counts', payload->'tracer_selections', payload->'feature_capabilities'
    FROM events
    WINDOW bucket AS (PARTITION BY (trigger_ts AT TIME ZONE 'UTC')::date, install_id, version, os, arch)
    ORDER BY 1, 2, 3, 4, 5, sequence DESC, event_id;
    INSERT INTO install_weeks
    SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date, version, install_id FROM events;
END $$;

SELECT roar_rebuild_rollups();
