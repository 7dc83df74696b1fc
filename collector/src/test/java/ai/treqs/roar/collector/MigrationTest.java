package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The migrations, forward only: on an empty database, and on one at the last unpartitioned migration holding
 * events, which end up in their months' partitions with their ids and rollups, and then at the per-install-day
 * rollups' migration holding one more, stored through its trigger, which the sketches and per-install rollups hold,
 * and at the sketches' migration holding one more again, which the weekly sketches hold.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MigrationTest {
    /** The partitions of events, one a month: which months exist depends on the rows a database held. */
    static final String MONTHS = "^events_([0-9]{4}_[0-9]{2}|default)$";

    @Inject AgroalDataSource db;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url;

    @Test
    void fromEmptyAndFromThePreviousMigrationTheSchemaIsTheSame() throws Exception {
        String empty = database("roar_mig_empty");
        Flyway.configure().dataSource(empty, "roar", "roar").load().migrate();

        String previous = database("roar_mig_previous");
        Flyway.configure().dataSource(previous, "roar", "roar").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement()) {
            // the last unpartitioned schema holding events of two months and two installs, one upgraded
            s.executeUpdate("INSERT INTO events VALUES "
                    + "('e1', '6f1c0a52-3a4b-4c5d-8e9f-0a1b2c3d4e5f', 'first_seen_for_install_id', '2025-09-30T23:00:00Z', 1, "
                    + "'0.2.0', 'linux', 'x86_64', '2025-09-30T23:00:01Z', '{\"subcommand_counts\": {}}'), "
                    + "('e2', '6f1c0a52-3a4b-4c5d-8e9f-0a1b2c3d4e5f', 'init', '2025-10-01T01:00:00Z', 2, "
                    + "'0.3.0', 'linux', 'x86_64', '2025-10-01T01:00:01Z', '{\"subcommand_counts\": {\"init\": 1}}'), "
                    + "('e3', '11111111-3a4b-4c5d-8e9f-0a1b2c3d4e5f', 'init', now(), 1, "
                    + "'0.3.0', 'macos', 'arm64', now(), '{}')");
        }
        Flyway.configure().dataSource(previous, "roar", "roar").target("4").load().migrate();
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement()) {
            // and one stored at the per-install-day rollups' migration, through its trigger
            s.executeUpdate("INSERT INTO event_ids VALUES ('e5', '2025-10-02T08:00:00Z')");
            s.executeUpdate("INSERT INTO events VALUES ('e5', '22222222-3a4b-4c5d-8e9f-0a1b2c3d4e5f', "
                    + "'first_seen_for_install_id', '2025-10-02T08:00:00Z', 1, '0.3.0', 'linux', 'arm64', "
                    + "'2025-10-02T08:00:00Z', '{\"feature_capabilities\": {\"ray_enabled\": true}}')");
        }
        Flyway.configure().dataSource(previous, "roar", "roar").target("5").load().migrate();
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement()) {
            // and one stored at the sketches' migration, through its trigger: the install's newest event now
            s.executeUpdate("INSERT INTO event_ids VALUES ('e6', '2025-10-03T08:00:00Z')");
            s.executeUpdate("INSERT INTO events VALUES ('e6', '22222222-3a4b-4c5d-8e9f-0a1b2c3d4e5f', "
                    + "'init', '2025-10-03T08:00:00Z', 2, '0.3.0', 'linux', 'arm64', "
                    + "'2025-10-03T08:00:00Z', '{\"feature_capabilities\": {\"ray_enabled\": true}}')");
        }
        Flyway.configure().dataSource(previous, "roar", "roar").load().migrate();

        assertEquals(schema(url), schema(empty), "the application's database equals a fresh migration");
        assertEquals(schema(empty), schema(previous));
        assertEquals(5, count(previous, "SELECT count(*) FROM events"), "the rows stored before are still there");
        assertEquals(5, count(previous, "SELECT count(*) FROM event_ids"), "and their ids, for dedup");
        assertEquals(0, count(previous, "SELECT count(*) FROM events_default"), "each in the partition of its month");
        assertEquals(1, count(previous, "SELECT count(*) FROM events_2025_09"));
        assertEquals(3, count(previous, "SELECT count(*) FROM events_2025_10"));
        assertEquals(3, count(previous, "SELECT count(*) FROM installs"), "the rollups are built from them");
        assertEquals(3, count(previous, "SELECT round(hll_cardinality(hll_union_agg(installs))) FROM daily_installs"));
        assertEquals(1, count(previous, "SELECT count(*) FROM installs WHERE install_id = '6f1c0a52-3a4b-4c5d-8e9f-0a1b2c3d4e5f' "
                + "AND first_day = '2025-09-30' AND first_version = '0.2.0' AND init_day = '2025-10-01' AND newest_sequence = 2"));
        assertEquals(1, count(previous, "SELECT total FROM newest_days WHERE day = '2025-10-01' AND version = '0.3.0' "
                + "AND kind = 's' AND key = 'init' AND installs = 1"), "its newest event's counters");
        assertEquals(1, count(previous, "SELECT total FROM newest_days WHERE day = '2025-10-03' AND kind = 'c' "
                + "AND key = 'ray_enabled' AND installs = 1"), "the events stored at the previous migrations', too");
        assertEquals(2, count(previous, "SELECT events FROM weekly_triggers WHERE week = '2025-09-29' AND trigger = 'init'"),
                "the weekly rollups are built from the daily ones: two inits in the week of Monday 2025-09-29");
        assertEquals(2, count(previous, "SELECT round(hll_cardinality(installs)) FROM weekly_triggers "
                + "WHERE week = '2025-09-29' AND trigger = 'init'"), "by two installs");
        assertEquals(3, count(previous, "SELECT round(hll_cardinality(hll_union_agg(installs))) FROM weekly_installs"));
        assertEquals(3, count(previous, "SELECT count(*) FROM pg_attribute WHERE attname = 'installs' AND attstorage = 'p' "
                + "AND attrelid IN ('daily_installs'::regclass, 'daily_trigger_installs'::regclass, "
                + "'received_installs'::regclass)"), "the stored sketches are kept inline");
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO event_ids VALUES ('e4', now())");
            s.executeUpdate("INSERT INTO events VALUES ('e4', '6f1c0a52-3a4b-4c5d-8e9f-0a1b2c3d4e5f', "
                    + "'first_successful_roar_run', now(), 3, '0.3.0', 'linux', 'x86_64', now(), '{}')");
        }
        assertEquals(1, count(previous, "SELECT sum(installs) FROM funnel_days WHERE first_day = '2025-09-30' "
                + "AND step = 'first_successful_roar_run' AND step_day = (now() AT TIME ZONE 'UTC')::date"),
                "an event stored after the migration reaches the rollups (the funnel's first run)");
        assertEquals(1, count(previous, "SELECT sum(events) FROM weekly_triggers WHERE trigger = 'first_successful_roar_run' "
                + "AND week = roar_week((now() AT TIME ZONE 'UTC')::date)"), "and the weekly ones");
        assertEquals(0, count(previous, "SELECT coalesce(sum(installs), 0) FROM newest_days WHERE day = '2025-10-01'"),
                "and moves the install's newest event to its day");
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "roar", "roar"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String database(String name) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    private static List<String> schema(String jdbcUrl) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "roar", "roar"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type, is_nullable FROM "
                    + "information_schema.columns WHERE table_schema = 'public' AND table_name !~ '" + MONTHS + "' "
                    + "ORDER BY table_name, ordinal_position")) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    + "AND tablename !~ '" + MONTHS + "' ORDER BY indexname")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
