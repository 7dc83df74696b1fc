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
 * The SQL of every figure, one query each (docs/collector.md shows them). Parameters are named: {@code :from}
 * and {@code :until} the window's bounds, {@code :version} one version or null for all, {@code :k} the smallest
 * group shown (versions, platforms and capabilities seen on fewer installs fold into {@code other} here, so that
 * {@code other} counts distinct installs). "Newest" is each install's event with the highest {@code sequence}.
 */
public final class SummaryQueries {
    public static final List<String> FUNNEL = List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    private static final String IN_WINDOW = """
            trigger_ts >= :from AND trigger_ts < :until AND version = coalesce(CAST(:version AS text), version)""";

    public static final String INSTALLS_SEEN = """
            SELECT count(DISTINCT install_id) FROM events WHERE\s""" + IN_WINDOW;
    public static final String EVENTS_BY_TRIGGER = """
            SELECT trigger, count(*), count(DISTINCT install_id) FROM events WHERE\s""" + IN_WINDOW + """

            GROUP BY trigger ORDER BY trigger""";
    /** The installs first seen in the window (of the version, when one is chosen) and the steps they reached. */
    public static final String FUNNEL_STEPS = """
            WITH cohort AS (
              SELECT DISTINCT install_id FROM events
              WHERE trigger = 'first_seen_for_install_id' AND\s""" + IN_WINDOW + """
            )
            SELECT e.trigger, count(DISTINCT e.install_id) FROM events e JOIN cohort USING (install_id)
            WHERE e.trigger_ts >= :from AND e.trigger_ts < :until
              AND e.trigger IN ('first_seen_for_install_id', 'init', 'first_successful_roar_run',
                                'second_successful_roar_run', 'third_successful_roar_run')
            GROUP BY e.trigger""";
    public static final String INSTALLS_BY_VERSION = """
            WITH seen AS (SELECT version, install_id FROM events WHERE\s""" + IN_WINDOW + """
            ),
            labels AS (SELECT version, CASE WHEN count(DISTINCT install_id) >= :k THEN version ELSE 'other' END AS label
                       FROM seen GROUP BY version)
            SELECT l.label, count(DISTINCT s.install_id) FROM seen s JOIN labels l USING (version)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";
    public static final String INSTALLS_BY_PLATFORM = """
            WITH seen AS (SELECT os, arch, install_id FROM events WHERE\s""" + IN_WINDOW + """
            ),
            labels AS (SELECT os, arch, count(DISTINCT install_id) >= :k AS named FROM seen GROUP BY os, arch)
            SELECT CASE WHEN l.named THEN s.os ELSE 'other' END AS os, CASE WHEN l.named THEN s.arch ELSE 'other' END AS arch,
                   count(DISTINCT s.install_id)
            FROM seen s JOIN labels l USING (os, arch)
            GROUP BY 1, 2 ORDER BY bool_and(NOT l.named), 1, 2""";
    /** Adoption is by the time events were received: an install is active in a week when any event of it arrived. */
    public static final String WEEKLY_ACTIVE = """
            WITH active AS (
              SELECT DISTINCT date_trunc('week', received_at AT TIME ZONE 'UTC')::date AS week, version, install_id
              FROM events
              WHERE received_at >= :from AND received_at < :until AND version = coalesce(CAST(:version AS text), version)),
            labels AS (SELECT version, CASE WHEN count(DISTINCT install_id) >= :k THEN version ELSE 'other' END AS label
                       FROM active GROUP BY version)
            SELECT a.week, l.label, count(DISTINCT a.install_id) FROM active a JOIN labels l USING (version)
            GROUP BY a.week, l.label ORDER BY a.week, l.label = 'other', l.label""";
    private static final String NEWEST = """
            WITH newest AS (
              SELECT DISTINCT ON (install_id) install_id, payload FROM events WHERE\s""" + IN_WINDOW + """

              ORDER BY install_id, sequence DESC, event_id)
            """;
    /** Summed counters of each install's newest event, and how many installs have each counter. */
    public static final String SUBCOMMAND_COUNTS = NEWEST + """
            SELECT key, sum(value::numeric), count(DISTINCT install_id)
            FROM newest, jsonb_each_text(payload->'subcommand_counts')
            GROUP BY key ORDER BY key""";
    public static final String TRACER_SELECTIONS = NEWEST + """
            SELECT key, sum(value::numeric), count(DISTINCT install_id)
            FROM newest, jsonb_each_text(payload->'tracer_selections')
            GROUP BY key ORDER BY key""";
    /** Per flag: installs whose newest event has it true, and all installs (a flag true on 1..k-1 is 'other'). */
    public static final String CAPABILITIES = NEWEST + """
            , flags AS (
              SELECT n.install_id, f.key, f.value = 'true'::jsonb AS set
              FROM newest n, jsonb_each(n.payload->'feature_capabilities') AS f
              WHERE jsonb_typeof(f.value) = 'boolean'),
            labels AS (SELECT key, CASE WHEN count(*) FILTER (WHERE set) = 0
                                          OR count(*) FILTER (WHERE set) >= :k THEN key ELSE 'other' END AS label
                       FROM flags GROUP BY key)
            SELECT l.label, count(DISTINCT f.install_id) FILTER (WHERE f.set), (SELECT count(*) FROM newest)
            FROM flags f JOIN labels l USING (key)
            GROUP BY l.label ORDER BY l.label = 'other', l.label""";

    private static final Pattern NAMED = Pattern.compile("(?<!:):(from|until|version|k)\\b");

    private SummaryQueries() {}

    /** Runs one figure's query for the window; each row's columns as JDBC returns them. */
    public static List<List<Object>> rows(Connection c, String sql, Window window, int k) throws SQLException {
        List<Object> values = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (m.find()) {
            values.add(switch (m.group(1)) {
                case "from" -> window.start();
                case "until" -> window.end();
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
