package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import ai.treqs.roar.collector.retention.RetentionJob;

/**
 * Events received more than retention-days (400) ago go: whole months with their partition, the rest in batches
 * (3 in tests), with the rollup rows of their days and weeks; younger ones stay, and the coming months' partitions
 * are made.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RetentionTest {
    @Inject AgroalDataSource db;
    @Inject RetentionJob job;

    @Test
    void oldEventsAreDeletedInBatchesAndYoungOnesKept() throws Exception {
        Events.truncate(db);
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        for (int i = 0; i < 10; i++) {
            insert(now.minus(401, ChronoUnit.DAYS).minusSeconds(i));
        }
        insert(now.minus(400, ChronoUnit.DAYS).plusSeconds(60));
        insert(now.minus(1, ChronoUnit.DAYS));
        // a whole month received before the cutoff (2025-10-25) goes with its partition
        sql("SELECT roar_events_partition('2025-09-01')");
        for (int i = 0; i < 4; i++) {
            insert(Instant.parse("2025-09-15T00:00:00Z").plusSeconds(i));
        }
        assertEquals(4, Events.count(db, "received_at < '2025-10-01'"));
        assertEquals(List.of(2L, 2L), oldRollupRows(), "the old events' days and weeks received");
        assertEquals(14, job.purge(now), "a month of 4 rows dropped; 10 old rows of the default partition, 3 at a time");
        assertEquals(2, Events.count(db, "true"));
        assertEquals(0, job.purge(now));
        assertEquals(List.of(false, true, true, true), List.of(exists("events_2025_09"), exists("events_2026_11"),
                exists("events_2026_12"), exists("events_2027_01")), "old months dropped, the coming ones made");
        assertEquals(List.of(0L, 0L), oldRollupRows(), "the rollup rows of days and weeks before the cutoff went too");
    }

    /** Rows of days received before the cutoff (2025-10-25) in received_installs, and of weeks begun before it. */
    private List<Long> oldRollupRows() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM received_installs WHERE day < '2025-10-25'), "
                     + "(SELECT count(*) FROM weekly_received_installs WHERE week < '2025-10-25')")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2));
        }
    }

    private void sql(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private boolean exists(String table) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private void insert(Instant receivedAt) throws Exception {
        ObjectNode e = Events.valid();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO events VALUES (?, ?::uuid, 'init', now(), 1, '0.3.0', 'linux', 'x86_64', ?, ?::jsonb)")) {
            s.setString(1, e.get("event_id").asText());
            s.setString(2, e.get("install_id").asText());
            s.setObject(3, receivedAt.atOffset(ZoneOffset.UTC));
            s.setString(4, e.toString());
            s.executeUpdate();
        }
    }
}
