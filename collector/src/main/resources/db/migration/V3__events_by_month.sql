-- Events partitioned by the month they were received (native range partitioning): retention drops a whole
-- month instead of deleting rows, and ingest writes into one small, hot partition.
--
-- A primary key of a partitioned table must contain the partition key, so (event_id, received_at) alone
-- would store a retry received in another month twice. Dedup by event_id stays exact in event_ids: one
-- narrow row per stored event, keyed by event_id alone; the writer inserts there first and stores only the
-- events that were new (docs/collector.md#storage-migrations-retention).
ALTER TABLE events RENAME TO events_unpartitioned;
ALTER INDEX events_pkey RENAME TO events_unpartitioned_pkey;
DROP INDEX events_received_at;
DROP INDEX events_trigger_ts;
DROP INDEX events_install_sequence;

CREATE TABLE events (
    event_id    text        NOT NULL,
    install_id  uuid        NOT NULL,
    trigger     text        NOT NULL,
    trigger_ts  timestamptz NOT NULL,
    sequence    bigint      NOT NULL,
    version     text        NOT NULL,
    os          text        NOT NULL,
    arch        text        NOT NULL,
    received_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL,
    PRIMARY KEY (event_id, received_at)
) PARTITION BY RANGE (received_at);

-- rows of a month that has no partition yet (the retention job creates them ahead; this only catches a gap)
CREATE TABLE events_default PARTITION OF events DEFAULT;

CREATE INDEX events_received_at ON events (received_at);
CREATE INDEX events_trigger_ts ON events (trigger_ts);
CREATE INDEX events_install_sequence ON events (install_id, sequence DESC);

CREATE TABLE event_ids (
    event_id    text        PRIMARY KEY,
    received_at timestamptz NOT NULL
);
CREATE INDEX event_ids_received_at ON event_ids (received_at);

-- The partition of the month holding `month` (events_YYYY_MM, UTC bounds), made if missing; rows of that
-- month already in the default partition are moved into it. Safe to call from several instances at once.
CREATE FUNCTION roar_events_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month)::date;
    name text := 'events_' || to_char(first_day, 'YYYY_MM');
    lower_bound timestamptz := (first_day::text || ' 00:00:00+00')::timestamptz;
    upper_bound timestamptz := ((first_day + interval '1 month')::date::text || ' 00:00:00+00')::timestamptz;
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM events_default WHERE received_at >= lower_bound AND received_at < upper_bound) THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING ALL)', name);
        EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE received_at >= %L AND received_at < %L RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, name);
        EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    END IF;
EXCEPTION WHEN duplicate_table THEN
    NULL; -- another instance made it meanwhile
END $$;

-- Drops every month partition that ends at or before `cutoff`; returns how many events they held.
CREATE FUNCTION roar_events_drop_months_before(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    part record;
    held bigint;
    dropped bigint := 0;
BEGIN
    FOR part IN
        SELECT c.relname, to_date(substr(c.relname, 8), 'YYYY_MM') AS month
        FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'events'::regclass AND c.relname ~ '^events_[0-9]{4}_[0-9]{2}$'
        ORDER BY 2
    LOOP
        EXIT WHEN (((part.month + interval '1 month')::date)::text || ' 00:00:00+00')::timestamptz > cutoff;
        EXECUTE format('SELECT count(*) FROM %I', part.relname) INTO held;
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + held;
    END LOOP;
    RETURN dropped;
END $$;

-- partitions for the months the existing rows were received in, this month and the next two
SELECT roar_events_partition(m::date)
FROM generate_series(date_trunc('month', least(now(), (SELECT min(received_at) FROM events_unpartitioned)) AT TIME ZONE 'UTC'),
                     date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months', interval '1 month') AS m;

INSERT INTO event_ids (event_id, received_at) SELECT event_id, received_at FROM events_unpartitioned;
INSERT INTO events SELECT * FROM events_unpartitioned;
DROP TABLE events_unpartitioned;
