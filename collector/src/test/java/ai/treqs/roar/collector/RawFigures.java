package ai.treqs.roar.collector;

import java.util.List;

import ai.treqs.roar.collector.summary.SummaryQueries;

/**
 * Each figure's definition over the raw events, with the same named parameters and the same columns as its query
 * in SummaryQueries: {@code :from}/{@code :until} the window by {@code trigger_ts} (weekly active: by
 * {@code received_at}), {@code :version} one version or all, {@code :k} the small-group rule (a version, platform
 * or capability on fewer than k installs folds into {@code other}; capabilities' other sums the folded flags).
 * "Newest" is each install's event with the highest sequence (ties: the lowest event_id), for the installs whose
 * newest event is in the window.
 */
final class RawFigures {
    private static final String IN_WINDOW = """
            trigger_ts >= :from AND trigger_ts < :until AND version = coalesce(CAST(:version AS text), version)""";

    static final String INSTALLS_SEEN = """
            SELECT count(DISTINCT install_id) FROM events WHERE\s""" + IN_WINDOW;
    static final String EVENTS_BY_TRIGGER = """
            SELECT trigger, count(*), count(DISTINCT install_id) FROM events WHERE\s""" + IN_WINDOW + """

            GROUP BY trigger ORDER BY trigger""";
    /**
     * The installs whose first first_seen_for_install_id (the earliest UTC day; on that day the lowest version) is
     * in the window (of the version, when one is chosen), and the steps they reached before the window's end.
     */
    static final String FUNNEL_STEPS = """
            WITH firsts AS (
              SELECT DISTINCT ON (install_id) install_id, (trigger_ts AT TIME ZONE 'UTC')::date AS day, version FROM events
              WHERE trigger = 'first_seen_for_install_id' ORDER BY install_id, 2, version),
            cohort AS (
              SELECT install_id FROM firsts
              WHERE day >= :from_day AND day < :until_day AND version = coalesce(CAST(:version AS text), version))
            SELECT e.trigger, count(DISTINCT e.install_id) FROM events e JOIN cohort USING (install_id)
            WHERE e.trigger_ts < :until
              AND e.trigger IN ('first_seen_for_install_id', 'init', 'first_successful_roar_run',
                                'second_successful_roar_run', 'third_successful_roar_run')
            GROUP BY e.trigger""";
    static final String INSTALLS_BY_VERSION = """
            WITH seen AS (SELECT version, install_id FROM events WHERE\s""" + IN_WINDOW + """
            ),
            labels AS (SELECT version, CASE WHEN count(DISTINCT install_id) >= :k THEN version ELSE 'other' END AS label
                       FROM seen GROUP BY version)
            SELECT l.label, count(DISTINCT s.install_id) FROM seen s JOIN labels l USING (version)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";
    static final String INSTALLS_BY_PLATFORM = """
            WITH seen AS (SELECT os, arch, install_id FROM events WHERE\s""" + IN_WINDOW + """
            ),
            labels AS (SELECT os, arch, count(DISTINCT install_id) >= :k AS named FROM seen GROUP BY os, arch)
            SELECT CASE WHEN l.named THEN s.os ELSE 'other' END AS os, CASE WHEN l.named THEN s.arch ELSE 'other' END AS arch,
                   count(DISTINCT s.install_id)
            FROM seen s JOIN labels l USING (os, arch)
            GROUP BY 1, 2 ORDER BY bool_and(NOT l.named), 1, 2""";
    /** Adoption is by the time events were received: an install is active in a week when any event of it arrived. */
    static final String WEEKLY_ACTIVE = """
            WITH active AS (
              SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date AS week, version, install_id
              FROM events
              WHERE received_at >= :from AND received_at < :until AND version = coalesce(CAST(:version AS text), version)),
            labels AS (SELECT version, CASE WHEN count(DISTINCT install_id) >= :k THEN version ELSE 'other' END AS label
                       FROM active GROUP BY version)
            SELECT a.week, l.label, count(DISTINCT a.install_id) FROM active a JOIN labels l USING (version)
            GROUP BY a.week, l.label ORDER BY a.week, l.label = 'other', l.label""";
    /** The installs whose newest event of all is in the window, with that event. */
    private static final String NEWEST = """
            WITH newest AS (
              SELECT * FROM (SELECT DISTINCT ON (install_id) install_id, payload, trigger_ts, version FROM events
                             ORDER BY install_id, sequence DESC, event_id) n
              WHERE\s""" + IN_WINDOW + """
            )
            """;
    static final String SUBCOMMAND_COUNTS = NEWEST + """
            SELECT key, sum(value::numeric), count(DISTINCT install_id)
            FROM newest, jsonb_each_text(payload->'subcommand_counts')
            GROUP BY key ORDER BY key""";
    static final String TRACER_SELECTIONS = NEWEST + """
            SELECT key, sum(value::numeric), count(DISTINCT install_id)
            FROM newest, jsonb_each_text(payload->'tracer_selections')
            GROUP BY key ORDER BY key""";
    static final String CAPABILITIES = NEWEST + """
            , flags AS (
              SELECT n.install_id, f.key, f.value = 'true'::jsonb AS set
              FROM newest n, jsonb_each(n.payload->'feature_capabilities') AS f
              WHERE jsonb_typeof(f.value) = 'boolean'),
            labels AS (SELECT key, CASE WHEN count(*) FILTER (WHERE set) = 0
                                          OR count(*) FILTER (WHERE set) >= :k THEN key ELSE 'other' END AS label
                       FROM flags GROUP BY key)
            SELECT l.label, count(*) FILTER (WHERE f.set), (SELECT count(*) FROM newest)
            FROM flags f JOIN labels l USING (key)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";

    /** The figures' columns that are hll estimates (the others are exact): {figure's name, column}. */
    static final List<String> ESTIMATED = List.of("installs seen 0", "events and installs by trigger 2",
            "installs by version 1", "installs by platform 2", "weekly active installs by version 2");

    /** {the query the collector runs, its definition over the raw events, what it is}. */
    static final List<String[]> PAIRS = List.of(
            new String[] {SummaryQueries.INSTALLS_SEEN, INSTALLS_SEEN, "installs seen"},
            new String[] {SummaryQueries.EVENTS_BY_TRIGGER, EVENTS_BY_TRIGGER, "events and installs by trigger"},
            new String[] {SummaryQueries.FUNNEL_STEPS, FUNNEL_STEPS, "funnel of the installs first seen"},
            new String[] {SummaryQueries.INSTALLS_BY_VERSION, INSTALLS_BY_VERSION, "installs by version"},
            new String[] {SummaryQueries.INSTALLS_BY_PLATFORM, INSTALLS_BY_PLATFORM, "installs by platform"},
            new String[] {SummaryQueries.WEEKLY_ACTIVE, WEEKLY_ACTIVE, "weekly active installs by version"},
            new String[] {SummaryQueries.SUBCOMMAND_COUNTS, SUBCOMMAND_COUNTS, "subcommand counts (newest)"},
            new String[] {SummaryQueries.TRACER_SELECTIONS, TRACER_SELECTIONS, "tracer selections (newest)"},
            new String[] {SummaryQueries.CAPABILITIES, CAPABILITIES, "capabilities (newest)"});

    /**
     * Every rollup row as text, the writer stripes of a key added up (counters) or unioned (sketches): a counter row
     * that went back to zero is as good as none.
     */
    static final String ROLLUP_ROWS = """
            SELECT j FROM (
              SELECT 'daily_events ' || to_jsonb(x)::text AS j
              FROM (SELECT day, trigger, version, os, arch, sum(events) AS events FROM daily_events GROUP BY 1, 2, 3, 4, 5) x
              UNION ALL SELECT 'daily_installs ' || to_jsonb(x)::text
              FROM (SELECT day, version, os, arch, hll_union_agg(installs) AS installs FROM daily_installs GROUP BY 1, 2, 3, 4) x
              UNION ALL SELECT 'daily_trigger_installs ' || to_jsonb(x)::text
              FROM (SELECT day, trigger, version, hll_union_agg(installs) AS installs FROM daily_trigger_installs
                    GROUP BY 1, 2, 3) x
              UNION ALL SELECT 'received_installs ' || to_jsonb(x)::text
              FROM (SELECT day, version, hll_union_agg(installs) AS installs FROM received_installs GROUP BY 1, 2) x
              UNION ALL SELECT 'weekly_installs ' || to_jsonb(x)::text
              FROM (SELECT week, version, os, arch, hll_union_agg(installs) AS installs FROM weekly_installs
                    GROUP BY 1, 2, 3, 4) x
              UNION ALL SELECT 'weekly_triggers ' || to_jsonb(x)::text
              FROM (SELECT week, trigger, version, sum(events) AS events, hll_union_agg(installs) AS installs
                    FROM weekly_triggers GROUP BY 1, 2, 3) x
              UNION ALL SELECT 'weekly_received_installs ' || to_jsonb(x)::text
              FROM (SELECT week, version, hll_union_agg(installs) AS installs FROM weekly_received_installs GROUP BY 1, 2) x
              UNION ALL SELECT 'installs ' || to_jsonb(x)::text FROM installs x
              UNION ALL SELECT 'funnel_days ' || to_jsonb(x)::text
              FROM (SELECT first_day, first_version, step, step_day, sum(installs) AS installs FROM funnel_days
                    GROUP BY 1, 2, 3, 4) x WHERE installs <> 0
              UNION ALL SELECT 'newest_days ' || to_jsonb(x)::text
              FROM (SELECT day, version, os, arch, kind, key, sum(installs) AS installs, sum(total) AS total FROM newest_days
                    GROUP BY 1, 2, 3, 4, 5, 6) x WHERE installs <> 0 OR total <> 0) r
            ORDER BY j""";
    /** The writer stripes the rollups hold: more than one when the ingest path's writers stored the data set. */
    static final String STRIPES = "SELECT count(DISTINCT writer) FROM (SELECT writer FROM daily_events UNION ALL "
            + "SELECT writer FROM weekly_triggers UNION ALL SELECT writer FROM newest_days) w";

    private RawFigures() {}
}
