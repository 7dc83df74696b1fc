-- The newest-event figures (subcommand counts, tracer selections, capabilities) each read one kind of newest_days
-- row for the window's days: by this index a 365-day window reads that kind's rows (5,000 to 25,000 of the
-- benchmark's 73,000), not all of them. Updates of a row's counters leave its key alone, so they stay in place.
CREATE INDEX newest_days_kind_day ON newest_days (kind, day);
