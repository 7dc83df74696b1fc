package ai.treqs.roar.collector.summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The summary's and the dashboard's figures read from the rollups the writers keep (V4__rollups.sql), never from
 * the events: each query reads rows per day (or week) of the window, so its cost follows the window's days and
 * the installs active in it, not the events stored. A window is UTC days {@code from} (inclusive) to
 * {@code until} (exclusive) of {@code trigger_ts}; the version, when given, keeps only what that version sent.
 * Every query takes {@code ?1 from, ?2 until, ?3 version or null, ?4 the same version}.
 */
@ApplicationScoped
public class RollupQueries {
    /** Spaced on both sides: text blocks drop the trailing space of the text they are joined to. */
    static final String WINDOW = " day >= ?::date AND day < ?::date AND (?::text IS NULL OR version = ?) ";

    /**
     * installs seen, and of those the installs that sent each funnel step's trigger in the window. The distinct
     * installs are grouped first (a hash aggregate over the window's rows, kept in memory by READ_WORK_MEM) and
     * then counted, which PostgreSQL does far faster than {@code count(DISTINCT ...)}, which sorts.
     */
    public static final String INSTALLS_AND_STEPS = """
            SELECT count(*), count(*) FILTER (WHERE t & 1 <> 0), count(*) FILTER (WHERE t & 2 <> 0),
                   count(*) FILTER (WHERE t & 4 <> 0), count(*) FILTER (WHERE t & 8 <> 0),
                   count(*) FILTER (WHERE t & 16 <> 0)
            FROM (SELECT install_id, bit_or(triggers) AS t FROM install_days WHERE""" + WINDOW + """
            GROUP BY install_id) AS seen""";
    public static final String EVENTS_BY_TRIGGER = "SELECT trigger, sum(events)::bigint FROM daily_events WHERE "
            + WINDOW + " GROUP BY trigger ORDER BY trigger";
    /** An install that upgraded within the window counts under each version. */
    public static final String INSTALLS_BY_VERSION = "SELECT version, count(*) FROM (SELECT version, install_id "
            + "FROM install_days WHERE " + WINDOW + " GROUP BY version, install_id) AS seen GROUP BY version ORDER BY version";
    public static final String INSTALLS_BY_PLATFORM = "SELECT os, arch, count(*) FROM (SELECT os, arch, install_id "
            + "FROM install_days WHERE " + WINDOW + " GROUP BY os, arch, install_id) AS seen "
            + "GROUP BY os, arch ORDER BY os, arch";
    /** Memory for the distinct-install aggregates of a read: a million installs' ids hashed in memory. */
    public static final String READ_WORK_MEM = "SET work_mem = '128MB'";
    /**
     * Summed over the newest event (highest sequence) of each install whose newest event falls in the window:
     * what the installs last reported. Per key also how many installs report it (for the small-group rule).
     */
    public static final String NEWEST_SUMS = """
            SELECT key, sum(total), sum(installs)::bigint FROM newest_daily WHERE figure = ? AND """ + WINDOW + """
             GROUP BY key HAVING sum(installs) > 0 ORDER BY key""";
    /** The share of those installs with each capability flag true, and how many installs that share rests on. */
    public static final String CAPABILITY_SHARES = """
            WITH w AS (SELECT figure, key, total, installs FROM newest_daily WHERE figure IN ('installs', 'capability')
                         AND """ + WINDOW + """
            )
            SELECT key, round(sum(total) / (SELECT sum(installs) FROM w WHERE figure = 'installs'), 4),
                   sum(total)::bigint
            FROM w WHERE figure = 'capability' GROUP BY key HAVING sum(installs) > 0 ORDER BY key""";
    /**
     * The installs whose first event (lowest sequence) falls in the window, with the version of that event, by
     * the triggers they ever sent (bits: 1 first_seen_for_install_id, 2 init, 4, 8, 16 the first, second, third
     * successful run): the funnel of the dashboard.
     */
    public static final String FIRST_SEEN_FUNNEL = """
            SELECT coalesce(sum(installs), 0)::bigint,
                   coalesce(sum(installs) FILTER (WHERE steps & 2 <> 0), 0)::bigint,
                   coalesce(sum(installs) FILTER (WHERE steps & 4 <> 0), 0)::bigint,
                   coalesce(sum(installs) FILTER (WHERE steps & 8 <> 0), 0)::bigint,
                   coalesce(sum(installs) FILTER (WHERE steps & 16 <> 0), 0)::bigint
            FROM funnel_daily WHERE """ + WINDOW;
    /** Installs active (any event received) per UTC week starting Monday, by version; version '' = any version. */
    public static final String WEEKLY_ACTIVE = """
            SELECT week, version, installs FROM weekly_active
            WHERE week >= ?::date AND week < ?::date AND (?::text IS NULL OR version = ?) AND installs > 0
            ORDER BY week, version""";

    public static final List<String> FIRST_SEEN_STEPS = List.of("first_seen", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    @Inject DataSource dataSource;

    /** The summary's figures, keyed as the summary's JSON answer. */
    public Map<String, Object> summary(LocalDate from, LocalDate until, Optional<String> version) throws SQLException {
        try (Connection c = reading()) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Object> counts = rows(c, INSTALLS_AND_STEPS, from, until, version).get(0);
            out.put("installs_seen", counts.get(0));
            out.put("events_by_trigger", pairs(rows(c, EVENTS_BY_TRIGGER, from, until, version)));
            List<Map<String, Object>> funnel = new ArrayList<>();
            for (int i = 0; i < SummaryQueries.FUNNEL.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", SummaryQueries.FUNNEL.get(i));
                row.put("installs", counts.get(i + 1));
                funnel.add(row);
            }
            out.put("funnel", funnel);
            out.put("installs_by_version", pairs(rows(c, INSTALLS_BY_VERSION, from, until, version)));
            List<Map<String, Object>> platforms = new ArrayList<>();
            for (List<Object> row : rows(c, INSTALLS_BY_PLATFORM, from, until, version)) {
                Map<String, Object> platform = new LinkedHashMap<>();
                platform.put("os", row.get(0));
                platform.put("arch", row.get(1));
                platform.put("installs", row.get(2));
                platforms.add(platform);
            }
            out.put("installs_by_platform", platforms);
            out.put("subcommand_counts", pairs(newest(c, "subcommand", from, until, version)));
            out.put("tracer_selections", pairs(newest(c, "tracer", from, until, version)));
            out.put("capability_shares", pairs(rows(c, CAPABILITY_SHARES, from, until, version)));
            return out;
        }
    }

    /** Rows of (key, sum, installs) for figure 'subcommand' or 'tracer' over the installs' newest events. */
    public List<List<Object>> newestSums(String figure, LocalDate from, LocalDate until, Optional<String> version)
            throws SQLException {
        try (Connection c = reading()) {
            return newest(c, figure, from, until, version);
        }
    }

    /** Rows of (key, share, installs with the flag true) over the installs' newest events. */
    public List<List<Object>> capabilityShares(LocalDate from, LocalDate until, Optional<String> version)
            throws SQLException {
        return query(CAPABILITY_SHARES, from, until, version);
    }

    /** Installs first seen in the window, and how many of them reached each later step: FIRST_SEEN_STEPS order. */
    public List<Object> firstSeenFunnel(LocalDate from, LocalDate until, Optional<String> version) throws SQLException {
        return query(FIRST_SEEN_FUNNEL, from, until, version).get(0);
    }

    /** Rows of (week, version, installs) for the weeks starting in the window; version '' is every version. */
    public List<List<Object>> weeklyActive(LocalDate from, LocalDate until, Optional<String> version)
            throws SQLException {
        return query(WEEKLY_ACTIVE, from, until, version);
    }

    /** Any of the queries above, as rows of column values. */
    public List<List<Object>> query(String sql, LocalDate from, LocalDate until, Optional<String> version)
            throws SQLException {
        try (Connection c = reading()) {
            return rows(c, sql, from, until, version);
        }
    }

    /** A pooled connection for reading: read-only, with READ_WORK_MEM (every reader sets it, so it may stay set). */
    private Connection reading() throws SQLException {
        Connection c = dataSource.getConnection();
        try (var s = c.createStatement()) {
            c.setReadOnly(true);
            s.execute(READ_WORK_MEM);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static List<List<Object>> newest(Connection c, String figure, LocalDate from, LocalDate until,
                                             Optional<String> version) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(NEWEST_SUMS)) {
            statement.setString(1, figure);
            return run(statement, 2, from, until, version);
        }
    }

    private static List<List<Object>> rows(Connection c, String sql, LocalDate from, LocalDate until,
                                           Optional<String> version) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            return run(statement, 1, from, until, version);
        }
    }

    private static List<List<Object>> run(PreparedStatement statement, int first, LocalDate from, LocalDate until,
                                          Optional<String> version) throws SQLException {
        statement.setObject(first, from);
        statement.setObject(first + 1, until);
        statement.setString(first + 2, version.orElse(null));
        statement.setString(first + 3, version.orElse(null));
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

    private static Map<String, Object> pairs(List<List<Object>> rows) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (List<Object> row : rows) {
            map.put(String.valueOf(row.get(0)), row.get(1));
        }
        return map;
    }
}
