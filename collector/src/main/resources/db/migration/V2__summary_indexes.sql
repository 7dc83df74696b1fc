-- The summary's queries filter by trigger_ts and pick each install's newest event (highest sequence).
CREATE INDEX events_trigger_ts ON events (trigger_ts);
CREATE INDEX events_install_sequence ON events (install_id, sequence DESC);
