package ai.treqs.roar.collector.summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of every figure, one query each (docs/collector.md shows them), read from the rollups the writers keep
 * (V5__rollups_by_sketch_and_install.sql, V6__weekly_sketches_and_writer_stripes.sql), so a reading's cost follows
 * the window's days, not the events or installs stored. Distinct installs are HyperLogLog estimates ({@code hll}
 * sketches unioned over the window: one per whole ISO week in it, one per day at its edges; exact up to a few
 * hundred installs, about 1.6 % standard error above); events, the funnel and the newest-event figures are exact
 * sums of counters. Parameters are named: {@code :from} and {@code :until} the window's bounds as instants,
 * {@code :from_day} and {@code :until_day} the same bounds as UTC days (the rollups' days), {@code :from_week} and
 * {@code :until_week} the bounds of the whole weeks in it (both {@code :until_day} when it holds none),
 * {@code :version} one version or null for all, {@code :k} the smallest group shown
 * (versions, platforms and capabilities seen on fewer installs fold into {@code other} here). The funnel's cohort
 * is the installs whose first first_seen_for_install_id is in the window, each step counted when the install
 * first reached it before the window's end. The newest-event figures are over the installs whose newest event
 * (highest {@code sequence}, ties: the lowest {@code event_id}) is in the window, from that event: for a window
 * ending today, every install seen in it. Each query's definition over the raw events is RawFigures in the
 * tests, which prove them equal (estimates: within their error).
 */
public final class SummaryQueries {
    public static final List<String> FUNNEL = List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    private static final String THE_VERSION = versionIs("version");
    private static final String DAYS = " day >= :from_day AND day < :until_day AND" + THE_VERSION;
    /** The window's whole weeks (Mondays), read from the weekly rollups. */
    private static final String WEEKS = " week >= :from_week AND week < :until_week AND" + THE_VERSION;
    /** The window's days outside its whole weeks (all of them when it holds none), read from the daily rollups. */
    private static final String EDGE_DAYS = " (day >= :from_day AND day < :from_week OR day >= :until_week AND day < :until_day)"
            + " AND" + THE_VERSION;
    /** An hll's estimate as a count. */
    private static final String ESTIMATE = " coalesce(round(hll_cardinality(%s)), 0)::bigint";

    /** The sketches of installs seen in the window, with their version and platform. */
    private static final String SEEN = "SELECT version, os, arch, installs FROM weekly_installs WHERE" + WEEKS
            + "UNION ALL SELECT version, os, arch, installs FROM daily_installs WHERE" + EDGE_DAYS;

    private static final String TRIGGER_EVENTS = "SELECT trigger, events FROM weekly_triggers WHERE" + WEEKS
            + "UNION ALL SELECT trigger, events FROM daily_events WHERE" + EDGE_DAYS;
    private static final String TRIGGER_SENDERS = "SELECT trigger, installs FROM weekly_triggers WHERE" + WEEKS
            + "UNION ALL SELECT trigger, installs FROM daily_trigger_installs WHERE" + EDGE_DAYS;
    /** The sketches of installs active (an event received) in the window, by week and version. */
    private static final String RECEIVED = "SELECT week, version, installs FROM weekly_received_installs WHERE" + WEEKS
            + "UNION ALL SELECT roar_week(day), version, installs FROM received_installs WHERE" + EDGE_DAYS;

    public static final String INSTALLS_SEEN = "SELECT" + ESTIMATE.formatted("hll_union_agg(installs)")
            + " FROM (" + SEEN + ") seen";
    /**
     * Events and the installs that sent each trigger: whole weeks from weekly_triggers, the edge days from
     * daily_events and daily_trigger_installs.
     */
    public static final String EVENTS_BY_TRIGGER = """
            WITH counted AS (SELECT trigger, sum(events)::bigint AS events FROM (""" + TRIGGER_EVENTS + """
            ) e GROUP BY trigger),
            senders AS (SELECT trigger, hll_union_agg(installs) AS installs FROM (""" + TRIGGER_SENDERS + """
            ) s GROUP BY trigger)
            SELECT c.trigger, c.events,""" + ESTIMATE.formatted("s.installs") + """

            FROM counted c LEFT JOIN senders s USING (trigger)
            ORDER BY c.trigger""";
    /**
     * The installs whose first first_seen_for_install_id is in the window (of the version when one is chosen), and
     * of them those that first reached each step before the window's end (with any version).
     */
    public static final String FUNNEL_STEPS = """
            SELECT step, sum(installs)::bigint FROM funnel_days
            WHERE first_day >= :from_day AND first_day < :until_day AND""" + versionIs("first_version") + """
            AND step_day < :until_day
            GROUP BY step HAVING sum(installs) > 0""";
    public static final String INSTALLS_BY_VERSION = """
            WITH seen AS (SELECT version, hll_union_agg(installs) AS installs FROM (""" + SEEN + """
            ) s GROUP BY version),
            labelled AS (SELECT CASE WHEN hll_cardinality(installs) >= :k THEN version ELSE 'other' END AS label, installs
                         FROM seen)
            SELECT label,""" + ESTIMATE.formatted("hll_union_agg(installs)") + """

            FROM labelled GROUP BY label ORDER BY label = 'other', label""";
    public static final String INSTALLS_BY_PLATFORM = """
            WITH seen AS (SELECT os, arch, hll_union_agg(installs) AS installs FROM (""" + SEEN + """
            ) s GROUP BY os, arch),
            labelled AS (SELECT os, arch, hll_cardinality(installs) >= :k AS named, installs FROM seen)
            SELECT CASE WHEN named THEN os ELSE 'other' END AS os, CASE WHEN named THEN arch ELSE 'other' END AS arch,
                  """ + ESTIMATE.formatted("hll_union_agg(installs)") + """

            FROM labelled GROUP BY 1, 2 ORDER BY bool_and(NOT named), 1, 2""";
    /**
     * Adoption is by the time events were received: an install is active in a week (Monday) when any event of it
     * arrived in the window in that week; a week is its weekly sketch when whole in the window, else the union of its
     * days' sketches in the window.
     */
    public static final String WEEKLY_ACTIVE = """
            WITH active AS (""" + RECEIVED + """
            ),
            labels AS (SELECT version, CASE WHEN hll_cardinality(hll_union_agg(installs)) >= :k THEN version ELSE 'other' END AS label
                       FROM active GROUP BY version)
            SELECT a.week, l.label,"""
            + ESTIMATE.formatted("hll_union_agg(a.installs)") + """

            FROM active a JOIN labels l USING (version)
            GROUP BY 1, 2 ORDER BY 1, l.label = 'other', l.label""";
    private static final String NEWEST_DAYS = "FROM newest_days WHERE" + DAYS + "AND kind = ";

    /** Summed counters of each install's newest event, and how many installs have each counter. */
    public static final String SUBCOMMAND_COUNTS = "SELECT key, sum(total), sum(installs)::bigint " + NEWEST_DAYS
            + "'s' GROUP BY key HAVING sum(installs) > 0 ORDER BY key";
    public static final String TRACER_SELECTIONS = "SELECT key, sum(total), sum(installs)::bigint " + NEWEST_DAYS
            + "'t' GROUP BY key HAVING sum(installs) > 0 ORDER BY key";
    /**
     * Per flag: installs whose newest event has it true, and all installs; the flags true on 1..k-1 installs are
     * 'other', which sums them (an install with two such flags true counts twice).
     */
    public static final String CAPABILITIES = """
            WITH flags AS (SELECT key, sum(total) AS set\s""" + NEWEST_DAYS + """
            'c' GROUP BY key HAVING sum(installs) > 0),
            labelled AS (SELECT CASE WHEN set = 0 OR set >= :k THEN key ELSE 'other' END AS label, set FROM flags)
            SELECT label, sum(set)::bigint, (SELECT coalesce(sum(installs), 0)::bigint\s""" + NEWEST_DAYS + """
            'i')
            FROM labelled GROUP BY label ORDER BY label = 'other', label""";
    /** Memory for a read's aggregates (a few thousand sketches and counters): the server's default is plenty. */
    public static final String READ_WORK_MEM = "SET work_mem = '16MB'";

    private static final Pattern NAMED = Pattern.compile("(?<!:):(from_day|until_day|from_week|until_week|from|until|version|k)\\b");

    private SummaryQueries() {}

    /** The version filter on a column: that version, or every version when {@code :version} is null. */
    private static String versionIs(String column) {
        return " " + column + " = coalesce(CAST(:version AS text), " + column + ") ";
    }

    /**
     * The whole ISO weeks in the window, as [first Monday, Monday after the last): the first Monday on or after its
     * first day to the last Monday on or before the day after it; both that day when it holds no whole week.
     */
    static LocalDate[] wholeWeeks(Window window) {
        LocalDate until = window.to().plusDays(1);
        LocalDate first = window.from().with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        LocalDate last = until.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return first.isBefore(last) ? new LocalDate[] {first, last} : new LocalDate[] {until, until};
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
                case "from_week" -> wholeWeeks(window)[0];
                case "until_week" -> wholeWeeks(window)[1];
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
