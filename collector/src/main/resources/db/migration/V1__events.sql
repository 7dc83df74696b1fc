-- One row per event, keyed by the client's event_id: the primary key makes at-least-once delivery
-- exactly-once storage across any number of collector instances (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE events (
    event_id    text        PRIMARY KEY,
    install_id  uuid        NOT NULL,
    trigger     text        NOT NULL,
    trigger_ts  timestamptz NOT NULL,
    sequence    bigint      NOT NULL,
    version     text        NOT NULL,
    os          text        NOT NULL,
    arch        text        NOT NULL,
    received_at timestamptz NOT NULL,
    payload     jsonb       NOT NULL
);

-- the retention job deletes by received time
CREATE INDEX events_received_at ON events (received_at);
