-- The scale benchmark's bulk load (bench/scale.sh): :events schema-valid events from :installs installs over the
-- last :days days, made by generate_series in one pass, with the rollup trigger off; then the dedup ids and
-- the rollups are built set-based (roar_rebuild_rollups), exactly what the trigger would have kept.
-- Shape: 55 % of installs send only first_seen_for_install_id, 45 % reach init, 30 % the first successful run,
-- 20 % the second, 15 % the third and keep sending (the long tail makes up the average of :events / :installs);
-- adoption grows (more installs start late); a new minor version every 45 days, most installs on the newest
-- or the one before, and active installs upgrade as they go (first_seen_for_version).
\set ON_ERROR_STOP on
\timing on
SET TimeZone = 'UTC';
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;
SELECT setseed(0.26);

ALTER TABLE events DISABLE TRIGGER events_rollup;
SELECT roar_events_partition(m::date)
FROM generate_series(date_trunc('month', now() - make_interval(days => :days + 1)), date_trunc('month', now()),
                     interval '1 month') AS m;

DROP TABLE IF EXISTS bench_installs;
CREATE UNLOGGED TABLE bench_installs AS
SELECT i, install_id, start_day, n,
       -- the events of an install fit between its start and today
       least(0.3 + 2.7 * s, (:days - 1 - start_day)::float / n) AS spacing,
       lag, os, CASE WHEN os = 'macos' OR a < 0.1 THEN 'arm64' ELSE 'x86_64' END AS arch,
       (ARRAY['auto', 'auto', 'ptrace', 'preload', 'ebpf'])[1 + floor(t * 5)::int] AS tracer,
       0.6 + 0.4 * q AS success_rate, 1 + floor(q * 3)::int AS runs_per_event, p < 0.2 AS proxy, p > 0.95 AS ray
FROM (
    SELECT i, md5('roar-install-' || i)::uuid AS install_id,
           floor(:days * sqrt(random()))::int AS start_day,
           CASE WHEN r < 0.55 THEN 1 WHEN r < 0.70 THEN 2 WHEN r < 0.80 THEN 3 WHEN r < 0.85 THEN 4
                ELSE 5 + floor(random() * random() * 4 * greatest(0, (:events::float / :installs - 1.35) / 0.15 - 5))::int
           END AS n,
           random() AS s, random() AS a, random() AS t, random() AS q, random() AS p,
           CASE WHEN l < 0.7 THEN 0 WHEN l < 0.95 THEN 1 ELSE 2 END AS lag,
           CASE WHEN o < 0.7 THEN 'linux' WHEN o < 0.95 THEN 'macos' ELSE 'windows' END AS os
    FROM (SELECT i, random() AS r, random() AS l, random() AS o FROM generate_series(1, :installs) AS i) g
) x;
SELECT count(*) AS installs, sum(n) AS events FROM bench_installs;

INSERT INTO events (event_id, install_id, trigger, trigger_ts, sequence, version, os, arch, received_at, payload)
SELECT event_id, install_id, trigger, ts, seq, version, os, arch, ts + random() * interval '10 minutes',
       jsonb_build_object(
           'payload_schema_version', 1, 'stats_schema_version', 1, 'event_id', event_id,
           'install_id', install_id, 'sequence', seq, 'first_seen', to_char(first_ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'trigger', trigger, 'trigger_ts', to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'counters_as_of', to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'version', version,
           'platform', jsonb_build_object('os', os, 'arch', arch),
           'subcommand_counts', jsonb_strip_nulls(jsonb_build_object(
               'init', 1, 'run', nullif(runs, 0), 'run_success', nullif(ok, 0),
               'run_failed_dirty', nullif((runs - ok) / 2, 0), 'run_failed_tracer_setup', nullif(runs - ok - (runs - ok) / 2, 0),
               'status', nullif(runs / 2, 0))),
           'tracer_selections', jsonb_strip_nulls(jsonb_build_object(tracer, nullif(runs, 0))),
           'feature_capabilities', jsonb_build_object(
               'glaas_endpoint_kind', 'default_prod', 'blake3_available', os <> 'windows', 'ebpf_supported', os = 'linux',
               'proxy_enabled', proxy, 'ray_enabled', ray, 'osmo_enabled', false))
FROM (
    SELECT md5(b.i || '-' || s)::uuid::text AS event_id, b.install_id, s AS seq, b.os, b.arch, b.tracer, b.proxy, b.ray,
           CASE s WHEN 1 THEN 'first_seen_for_install_id' WHEN 2 THEN 'init' WHEN 3 THEN 'first_successful_roar_run'
                  WHEN 4 THEN 'second_successful_roar_run' WHEN 5 THEN 'third_successful_roar_run'
                  ELSE CASE WHEN v <> v_before THEN 'first_seen_for_version'
                            ELSE (ARRAY['init', 'reset', 'register', 'init'])[1 + s % 4] END END AS trigger,
           '0.' || v || '.0' AS version,
           date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => :days) + make_interval(days => d)
               + make_interval(secs => floor(random() * 86399)) AS ts,
           date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => :days)
               + make_interval(days => b.start_day) AS first_ts,
           greatest(0, s - 2) * b.runs_per_event AS runs,
           floor(greatest(0, s - 2) * b.runs_per_event * b.success_rate)::int AS ok
    FROM bench_installs b, generate_series(1, b.n) AS s,
         LATERAL (SELECT b.start_day + floor((s - 1) * b.spacing)::int AS d,
                         b.start_day + floor(greatest(s - 2, 0) * b.spacing)::int AS d_before) days,
         LATERAL (SELECT greatest(0, d / 45 - b.lag) AS v, greatest(0, d_before / 45 - b.lag) AS v_before) versions
) e;

INSERT INTO event_ids (event_id, received_at) SELECT event_id, received_at FROM events ON CONFLICT DO NOTHING;
SELECT roar_rebuild_rollups();
ALTER TABLE events ENABLE TRIGGER events_rollup;
DROP TABLE bench_installs;
VACUUM ANALYZE;
