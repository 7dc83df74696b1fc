package ai.treqs.roar.collector.summary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The summary: each figure is one SQL query over the window {@code trigger_ts >= ?1 AND trigger_ts < ?2}
 * (docs/collector.md shows them). "Newest" is each install's event with the highest {@code sequence}.
 */
@ApplicationScoped
public class SummaryQueries {
    public static final List<String> FUNNEL = List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
            "second_successful_roar_run", "third_successful_roar_run");

    public static final String INSTALLS_SEEN = """
            SELECT count(DISTINCT install_id) FROM events WHERE trigger_ts >= ? AND trigger_ts < ?""";
    public static final String EVENTS_BY_TRIGGER = """
            SELECT trigger, count(*) FROM events WHERE trigger_ts >= ? AND trigger_ts < ?
            GROUP BY trigger ORDER BY trigger""";
    public static final String FUNNEL_STEPS = """
            SELECT trigger, count(DISTINCT install_id) FROM events WHERE trigger_ts >= ? AND trigger_ts < ?
              AND trigger IN ('first_seen_for_install_id', 'init', 'first_successful_roar_run',
                              'second_successful_roar_run', 'third_successful_roar_run')
            GROUP BY trigger""";
    public static final String INSTALLS_BY_VERSION = """
            SELECT version, count(DISTINCT install_id) FROM events WHERE trigger_ts >= ? AND trigger_ts < ?
            GROUP BY version ORDER BY version""";
    public static final String INSTALLS_BY_PLATFORM = """
            SELECT os, arch, count(DISTINCT install_id) FROM events WHERE trigger_ts >= ? AND trigger_ts < ?
            GROUP BY os, arch ORDER BY os, arch""";
    private static final String NEWEST = """
            WITH newest AS (
              SELECT DISTINCT ON (install_id) payload FROM events WHERE trigger_ts >= ? AND trigger_ts < ?
              ORDER BY install_id, sequence DESC, event_id)
            """;
    public static final String SUBCOMMAND_COUNTS = NEWEST + """
            SELECT key, sum(value::numeric) FROM newest, jsonb_each_text(payload->'subcommand_counts')
            GROUP BY key ORDER BY key""";
    public static final String TRACER_SELECTIONS = NEWEST + """
            SELECT key, sum(value::numeric) FROM newest, jsonb_each_text(payload->'tracer_selections')
            GROUP BY key ORDER BY key""";
    public static final String CAPABILITY_SHARES = NEWEST + """
            SELECT f.key, round(count(*) FILTER (WHERE f.value = 'true'::jsonb)::numeric
                                / (SELECT count(*) FROM newest), 4)
            FROM newest, jsonb_each(payload->'feature_capabilities') AS f
            WHERE jsonb_typeof(f.value) = 'boolean'
            GROUP BY f.key ORDER BY f.key""";

    @Inject DataSource dataSource;

    public Map<String, Object> summary(OffsetDateTime from, OffsetDateTime until) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("installs_seen", rows(c, INSTALLS_SEEN, from, until).get(0).get(0));
            out.put("events_by_trigger", pairs(rows(c, EVENTS_BY_TRIGGER, from, until)));
            Map<String, Object> reached = pairs(rows(c, FUNNEL_STEPS, from, until));
            List<Map<String, Object>> funnel = new ArrayList<>();
            for (String step : FUNNEL) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("installs", reached.getOrDefault(step, 0L));
                funnel.add(row);
            }
            out.put("funnel", funnel);
            out.put("installs_by_version", pairs(rows(c, INSTALLS_BY_VERSION, from, until)));
            List<Map<String, Object>> platforms = new ArrayList<>();
            for (List<Object> row : rows(c, INSTALLS_BY_PLATFORM, from, until)) {
                Map<String, Object> platform = new LinkedHashMap<>();
                platform.put("os", row.get(0));
                platform.put("arch", row.get(1));
                platform.put("installs", row.get(2));
                platforms.add(platform);
            }
            out.put("installs_by_platform", platforms);
            out.put("subcommand_counts", pairs(rows(c, SUBCOMMAND_COUNTS, from, until)));
            out.put("tracer_selections", pairs(rows(c, TRACER_SELECTIONS, from, until)));
            out.put("capability_shares", pairs(rows(c, CAPABILITY_SHARES, from, until)));
            return out;
        }
    }

    private static List<List<Object>> rows(Connection c, String sql, OffsetDateTime from, OffsetDateTime until)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, from);
            statement.setObject(2, until);
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

    private static Map<String, Object> pairs(List<List<Object>> rows) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (List<Object> row : rows) {
            map.put(String.valueOf(row.get(0)), row.get(1));
        }
        return map;
    }
}
