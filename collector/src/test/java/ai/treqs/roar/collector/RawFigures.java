package ai.treqs.roar.collector;

import java.util.List;

import ai.treqs.roar.collector.summary.RollupQueries;

/**
 * Each rollup figure's definition over the raw events: the same four parameters (from, until, version, version),
 * the same columns. "Newest" is each install's event with the highest sequence (ties: the lowest event_id);
 * "first" the lowest sequence.
 */
final class RawFigures {
    static final String WINDOW = " trigger_ts >= (?::date)::timestamp AT TIME ZONE 'UTC' "
            + "AND trigger_ts < (?::date)::timestamp AT TIME ZONE 'UTC' AND (?::text IS NULL OR version = ?) ";
    static final String NEWEST = "WITH newest AS (SELECT DISTINCT ON (install_id) * FROM events "
            + "ORDER BY install_id, sequence DESC, event_id) ";

    static final String INSTALLS_AND_STEPS = """
            SELECT count(DISTINCT install_id),
                   count(DISTINCT install_id) FILTER (WHERE trigger = 'first_seen_for_install_id'),
                   count(DISTINCT install_id) FILTER (WHERE trigger = 'init'),
                   count(DISTINCT install_id) FILTER (WHERE trigger = 'first_successful_roar_run'),
                   count(DISTINCT install_id) FILTER (WHERE trigger = 'second_successful_roar_run'),
                   count(DISTINCT install_id) FILTER (WHERE trigger = 'third_successful_roar_run')
            FROM events WHERE """ + WINDOW;
    static final String EVENTS_BY_TRIGGER = "SELECT trigger, count(*) FROM events WHERE " + WINDOW
            + " GROUP BY trigger ORDER BY trigger";
    static final String INSTALLS_BY_VERSION = "SELECT version, count(DISTINCT install_id) FROM events WHERE " + WINDOW
            + " GROUP BY version ORDER BY version";
    static final String INSTALLS_BY_PLATFORM = "SELECT os, arch, count(DISTINCT install_id) FROM events WHERE "
            + WINDOW + " GROUP BY os, arch ORDER BY os, arch";
    static final String CAPABILITY_SHARES = NEWEST + """
            , w AS (SELECT * FROM newest WHERE """ + WINDOW + """
            )
            SELECT f.key, round(count(*) FILTER (WHERE f.value = 'true'::jsonb)::numeric / (SELECT count(*) FROM w), 4),
                   count(*) FILTER (WHERE f.value = 'true'::jsonb)
            FROM w, jsonb_each(payload->'feature_capabilities') AS f WHERE jsonb_typeof(f.value) = 'boolean'
            GROUP BY f.key ORDER BY f.key""";
    static final String FIRST_SEEN_FUNNEL = """
            WITH firsts AS (SELECT DISTINCT ON (install_id) install_id, trigger_ts, version FROM events
                            ORDER BY install_id, sequence, event_id),
                 reached AS (SELECT install_id, bool_or(trigger = 'init') AS s1,
                                    bool_or(trigger = 'first_successful_roar_run') AS s2,
                                    bool_or(trigger = 'second_successful_roar_run') AS s3,
                                    bool_or(trigger = 'third_successful_roar_run') AS s4
                             FROM events GROUP BY install_id)
            SELECT count(*), count(*) FILTER (WHERE s1), count(*) FILTER (WHERE s2), count(*) FILTER (WHERE s3),
                   count(*) FILTER (WHERE s4)
            FROM firsts JOIN reached USING (install_id) WHERE """ + WINDOW;
    static final String WEEKLY_ACTIVE = """
            SELECT week, version, count(DISTINCT install_id) FROM (
              SELECT date_trunc('week', received_at AT TIME ZONE 'UTC')::date AS week, v.version, install_id
              FROM events, LATERAL (VALUES (events.version), ('')) AS v(version)) a
            WHERE week >= ?::date AND week < ?::date AND (?::text IS NULL OR version = ?)
            GROUP BY week, version ORDER BY week, version""";

    /** {rollup query, raw query, what it is}. */
    static final List<String[]> PAIRS = List.of(
            new String[] {RollupQueries.INSTALLS_AND_STEPS, INSTALLS_AND_STEPS, "installs seen and funnel steps"},
            new String[] {RollupQueries.EVENTS_BY_TRIGGER, EVENTS_BY_TRIGGER, "events by trigger"},
            new String[] {RollupQueries.INSTALLS_BY_VERSION, INSTALLS_BY_VERSION, "installs by version"},
            new String[] {RollupQueries.INSTALLS_BY_PLATFORM, INSTALLS_BY_PLATFORM, "installs by platform"},
            new String[] {RollupQueries.CAPABILITY_SHARES, CAPABILITY_SHARES, "capability shares"},
            new String[] {RollupQueries.FIRST_SEEN_FUNNEL, FIRST_SEEN_FUNNEL, "funnel of the installs first seen"},
            new String[] {RollupQueries.WEEKLY_ACTIVE, WEEKLY_ACTIVE, "weekly active installs by version"});

    /** Every rollup row as text, rows that hold nothing (an install moved out of a bucket) left out. */
    static final String ROLLUP_ROWS = """
            SELECT j FROM (
              SELECT 'daily_events ' || to_jsonb(x)::text AS j FROM daily_events x
              UNION ALL SELECT 'install_days ' || to_jsonb(x)::text FROM install_days x
              UNION ALL SELECT 'install_weeks ' || to_jsonb(x)::text FROM install_weeks x
              UNION ALL SELECT 'weekly_active ' || to_jsonb(x)::text FROM weekly_active x
              UNION ALL SELECT 'installs ' || to_jsonb(x)::text FROM installs x
              UNION ALL SELECT 'newest_daily ' || to_jsonb(x)::text FROM newest_daily x WHERE installs <> 0 OR total <> 0
              UNION ALL SELECT 'funnel_daily ' || to_jsonb(x)::text FROM funnel_daily x WHERE installs <> 0) r
            ORDER BY j""";

    private RawFigures() {}

    /** Summed counters ('subcommand' or 'tracer') over the newest events in the window, and installs per key. */
    static String newestSums(String figure) {
        String field = figure.equals("subcommand") ? "subcommand_counts" : "tracer_selections";
        return NEWEST + ", w AS (SELECT * FROM newest WHERE " + WINDOW + ") "
                + "SELECT key, sum(value::numeric), count(*) FROM w, jsonb_each_text(payload->'" + field + "') "
                + "GROUP BY key ORDER BY key";
    }
}
