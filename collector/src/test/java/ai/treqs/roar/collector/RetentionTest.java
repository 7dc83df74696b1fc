package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import ai.treqs.roar.collector.retention.RetentionJob;

/** Events received more than retention-days (400) ago go, in batches (3 in tests); younger ones stay. */
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
        assertEquals(10, job.purge(now), "10 old rows, deleted 3 at a time");
        assertEquals(2, Events.count(db, "true"));
        assertEquals(0, job.purge(now));
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
