package ai.treqs.roar.collector.summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of every figure, one query each (docs/collector.md shows them), read from the rollups the writers keep
 * (V4__rollups.sql), so a reading's cost follows the window's days and installs, not the events stored (weekly
 * active reads the events only for the days of a week the window cuts). Parameters are named: {@code :from} and {@code :until} the window's
 * bounds as instants, {@code :from_day} and {@code :until_day} the same bounds as UTC days (the rollups' days),
 * {@code :version} one version or null for all, {@code :k} the smallest group shown (versions, platforms and
 * capabilities seen on fewer installs fold into {@code other} here, so that {@code other} counts distinct
 * installs). "Newest" is each install's event in the window with the highest {@code sequence} (ties: the lowest
 * {@code event_id}). Each query's definition over the raw events is RawFigures in the tests, which prove them
 * equal.
 */
public final class SummaryQueries {
    public static final List<String> FUNNEL = List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    private static final String THE_VERSION = versionIs("version");
    private static final String DAYS = " day >= :from_day AND day < :until_day AND" + THE_VERSION;
    /** Each install seen in the window (of the version) once, with the triggers it sent as bits. */
    private static final String SEEN = "seen AS (SELECT install_id, bit_or(triggers) AS sent FROM install_days WHERE"
            + DAYS + "GROUP BY install_id)";

    /** The distinct installs are grouped first (a hash aggregate) and then counted: faster than count(DISTINCT). */
    public static final String INSTALLS_SEEN = "WITH " + SEEN + " SELECT count(*) FROM seen";
    /** Events from daily_events; the installs that sent each trigger from install_days' trigger bits. */
    public static final String EVENTS_BY_TRIGGER = "WITH " + SEEN + """
            ,
            senders AS (SELECT b.bit, count(*) AS installs FROM seen, unnest(ARRAY[1, 2, 4, 8, 16, 32, 64, 128, 256]) AS b(bit)
                     WHERE seen.sent & b.bit <> 0 GROUP BY b.bit),
            counted AS (SELECT trigger, sum(events)::bigint AS events FROM daily_events WHERE""" + DAYS + """
            GROUP BY trigger)
            SELECT c.trigger, c.events, coalesce(s.installs, 0)
            FROM counted c LEFT JOIN senders s ON s.bit = roar_trigger_bit(c.trigger)
            ORDER BY c.trigger""";
    /**
     * The installs first seen in the window (they sent first_seen_for_install_id in it, of the version when one is
     * chosen) and the steps they reached in the window (with any version).
     */
    public static final String FUNNEL_STEPS = """
            WITH seen AS (
              SELECT install_id, bit_or(triggers) AS sent,
                     bool_or(triggers & 1 <> 0 AND""" + THE_VERSION + """
            ) AS cohort
              FROM install_days WHERE day >= :from_day AND day < :until_day GROUP BY install_id)
            SELECT s.step, count(*)
            FROM seen, (VALUES ('first_seen_for_install_id', 1), ('init', 2), ('first_successful_roar_run', 4),
                               ('second_successful_roar_run', 8), ('third_successful_roar_run', 16)) AS s(step, bit)
            WHERE seen.cohort AND seen.sent & s.bit <> 0
            GROUP BY s.step""";
    public static final String INSTALLS_BY_VERSION = """
            WITH seen AS (SELECT version, install_id FROM install_days WHERE""" + DAYS + """
            GROUP BY version, install_id),
            labels AS (SELECT version, CASE WHEN count(*) >= :k THEN version ELSE 'other' END AS label
                       FROM seen GROUP BY version)
            SELECT l.label, count(DISTINCT s.install_id) FROM seen s JOIN labels l USING (version)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";
    public static final String INSTALLS_BY_PLATFORM = """
            WITH seen AS (SELECT os, arch, install_id FROM install_days WHERE""" + DAYS + """
            GROUP BY os, arch, install_id),
            labels AS (SELECT os, arch, count(*) >= :k AS named FROM seen GROUP BY os, arch)
            SELECT CASE WHEN l.named THEN s.os ELSE 'other' END AS os, CASE WHEN l.named THEN s.arch ELSE 'other' END AS arch,
                   count(DISTINCT s.install_id)
            FROM seen s JOIN labels l USING (os, arch)
            GROUP BY 1, 2 ORDER BY bool_and(NOT l.named), 1, 2""";
    /**
     * Adoption is by the time events were received: an install is active in a week when any event of it arrived in
     * the window in that week. The window's whole weeks (Monday to Sunday) come from install_weeks; the days of a
     * week the window cuts (at most six at each end) from the events, by their received_at index, in the months'
     * partitions those days fall in.
     */
    public static final String WEEKLY_ACTIVE = """
            WITH bounds AS (
              SELECT CAST(:from_day AS date) + (8 - extract(isodow FROM CAST(:from_day AS date))::int) % 7 AS whole_from,
                     CAST(:until_day AS date) - (extract(isodow FROM CAST(:until_day AS date))::int - 1) AS whole_until),
            active AS (
              SELECT w.week, w.version, w.install_id FROM install_weeks w, bounds b
              WHERE w.week >= b.whole_from AND w.week < b.whole_until AND""" + versionIs("w.version") + """
              UNION
              SELECT date_trunc('week', e.received_at AT TIME ZONE 'UTC')::date, e.version, e.install_id FROM events e, bounds b
              WHERE e.received_at >= :from AND e.received_at < :until AND""" + versionIs("e.version") + """
                AND (e.received_at < b.whole_from::timestamp AT TIME ZONE 'UTC'
                     OR e.received_at >= greatest(b.whole_from, b.whole_until)::timestamp AT TIME ZONE 'UTC')),
            labels AS (SELECT version, CASE WHEN count(DISTINCT install_id) >= :k THEN version ELSE 'other' END AS label
                       FROM active GROUP BY version)
            SELECT a.week, l.label, count(DISTINCT a.install_id) FROM active a JOIN labels l USING (version)
            GROUP BY a.week, l.label ORDER BY a.week, l.label = 'other', l.label""";
    /**
     * Each install's newest event in the window (of the version): the newest of its install_days rows there, each
     * holding the newest event of its day, version and platform.
     */
    private static String newest(String column) {
        return """
                WITH newest AS (
                  SELECT DISTINCT ON (install_id) install_id, %s
                  FROM install_days WHERE""".formatted(column) + DAYS + """

                  ORDER BY install_id, newest_sequence DESC, newest_event_id)
                """;
    }

    /** Summed counters of each install's newest event, and how many installs have each counter. */
    public static final String SUBCOMMAND_COUNTS = newest("subcommand_counts") + """
            SELECT key, sum(value::numeric), count(*)
            FROM newest, jsonb_each_text(subcommand_counts)
            GROUP BY key ORDER BY key""";
    public static final String TRACER_SELECTIONS = newest("tracer_selections") + """
            SELECT key, sum(value::numeric), count(*)
            FROM newest, jsonb_each_text(tracer_selections)
            GROUP BY key ORDER BY key""";
    /** Per flag: installs whose newest event has it true, and all installs (a flag true on 1..k-1 is 'other'). */
    public static final String CAPABILITIES = newest("feature_capabilities") + """
            , flags AS (
              SELECT n.install_id, f.key, f.value = 'true'::jsonb AS set
              FROM newest n, jsonb_each(n.feature_capabilities) AS f
              WHERE jsonb_typeof(f.value) = 'boolean'),
            labels AS (SELECT key, CASE WHEN count(*) FILTER (WHERE set) = 0
                                          OR count(*) FILTER (WHERE set) >= :k THEN key ELSE 'other' END AS label
                       FROM flags GROUP BY key)
            SELECT l.label, count(DISTINCT f.install_id) FILTER (WHERE f.set), (SELECT count(*) FROM newest)
            FROM flags f JOIN labels l USING (key)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";
    /** Memory for the distinct-install aggregates of a read: a million installs' ids hashed in memory. */
    public static final String READ_WORK_MEM = "SET work_mem = '128MB'";

    private static final Pattern NAMED = Pattern.compile("(?<!:):(from_day|until_day|from|until|version|k)\\b");

    private SummaryQueries() {}

    /** The version filter on a column: that version, or every version when {@code :version} is null. */
    private static String versionIs(String column) {
        return " " + column + " = coalesce(CAST(:version AS text), " + column + ") ";
    }

    /** Runs one figure's query for the window; each row's columns as JDBC returns them. */
    public static List<List<Object>> rows(Connection c, String sql, Window window, int k) throws SQLException {
        List<Object> values = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (m.find()) {
            values.add(switch (m.group(1)) {
                case "from" -> window.start();
                case "until" -> window.end();
                case "from_day" -> window.from();
                case "until_day" -> window.to().plusDays(1);
                case "version" -> window.version().orElse(null);
                default -> k;
            });
            m.appendReplacement(positional, "?");
        }
        m.appendTail(positional);
        try (PreparedStatement statement = c.prepareStatement(positional.toString())) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    statement.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, values.get(i));
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
