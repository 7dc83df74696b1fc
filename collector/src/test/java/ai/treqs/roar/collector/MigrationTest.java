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

/** The migrations, forward only: on an empty database, and on one at the previous migration holding data. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class MigrationTest {
    @Inject AgroalDataSource db;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url;

    @Test
    void fromEmptyAndFromThePreviousMigrationTheSchemaIsTheSame() throws Exception {
        String empty = database("roar_mig_empty");
        Flyway.configure().dataSource(empty, "roar", "roar").load().migrate();

        String previous = database("roar_mig_previous");
        Flyway.configure().dataSource(previous, "roar", "roar").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO events VALUES ('e1', '6f1c0a52-3a4b-4c5d-8e9f-0a1b2c3d4e5f', 'init', now(), 1, "
                    + "'0.3.0', 'linux', 'x86_64', now(), '{}'::jsonb)");
        }
        Flyway.configure().dataSource(previous, "roar", "roar").load().migrate();

        assertEquals(schema(url), schema(empty), "the application's database equals a fresh migration");
        assertEquals(schema(empty), schema(previous));
        try (Connection c = DriverManager.getConnection(previous, "roar", "roar"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE event_id = 'e1'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the row stored at the previous migration is still there");
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
                    + "information_schema.columns WHERE table_schema = 'public' AND table_name = 'events' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    + "AND tablename = 'events' ORDER BY indexname")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
