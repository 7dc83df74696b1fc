package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.IntSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The database accepts connections but cannot store (a role made read-only, as a failover to a replica looks),
 * or stores slowly (the table locked): readiness tells the truth, the failure is logged with its cause and
 * nothing the client sent, and a 503 comes after the request timeout, shorter than the CLI's 5 s deadline,
 * saying the event may be sent again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StorageFaultsTest {
    /** The CLI gives each upload request this long (docs/collector.md#when). */
    static final Duration CLI_REQUEST_DEADLINE = Duration.ofSeconds(5);

    @Inject AgroalDataSource db;
    @Inject CollectorConfig config;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url;
    @TestHTTPResource(Events.PATH) URL endpoint;

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(url, "roar", "roar");
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Ends every other session of the role: the pool then connects again, with the role's current settings. */
    private static void endOtherSessions(Connection c) throws SQLException {
        sql(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'roar' AND pid <> pg_backend_pid()");
    }

    private static int post(ObjectNode event) {
        return given().contentType("application/json").body(event.toString()).post(Events.PATH).statusCode();
    }

    private static int ready() {
        return given().get("/q/health/ready").statusCode();
    }

    /** Polls until {@code status} answers {@code wanted}, at most 30 s; returns the last answer. */
    private static int await(IntSupplier status, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = status.getAsInt();
        while (last != wanted && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = status.getAsInt();
        }
        return last;
    }

    private static String log() throws Exception {
        return Files.readString(Path.of("target/collector-test.log"), StandardCharsets.UTF_8);
    }

    @Test
    void aReadOnlyDatabaseMakesReadinessDownIsLoggedWithItsCauseAndRecoversByItself() throws Exception {
        assertEquals(200, await(StorageFaultsTest::ready, 200));
        ObjectNode refused = Events.valid();
        try (Connection admin = admin()) {
            admin.setAutoCommit(true);
            sql(admin, "ALTER ROLE roar SET default_transaction_read_only = on");
            try {
                endOtherSessions(admin);
                assertEquals(503, await(() -> post(refused), 503));
                // the pool has connected again by now (SELECT 1 answers): readiness stays DOWN all the same
                for (int i = 0; i < 8; i++) {
                    assertEquals(503, ready(), "readiness DOWN while events cannot be stored");
                    Thread.sleep(500);
                }
                String log = log();
                assertTrue(log.contains("25006") && log.contains("PSQLException"),
                        "the failure is logged with its SQL state and exception class:\n" + log);
                assertTrue(log.contains("read-only"), "and the database's message:\n" + log);
                assertFalse(log.contains(refused.get("event_id").asText()), "no client data in the log");
                assertFalse(log.contains(refused.get("install_id").asText()), "no client data in the log");
            } finally {
                // this session began before the role changed: it may still write
                sql(admin, "ALTER ROLE roar RESET default_transaction_read_only");
            }
            // nothing ends the read-only sessions now: the collector recovers by itself
            assertEquals(200, await(StorageFaultsTest::ready, 200), "readiness UP again");
            ObjectNode after = Events.valid();
            assertEquals(204, await(() -> post(after), 204), "ingest resumes");
            assertEquals(1, Events.stored(db, after.get("event_id").asText()));
            assertTrue(log().contains("storing events works again"), "the recovery is logged");
        } finally {
            try (Connection admin = admin()) {
                // whatever happened above, the tests after this one get a writable database
                sql(admin, "ALTER ROLE roar RESET default_transaction_read_only");
                endOtherSessions(admin);
            }
        }
    }

    @Test
    void aLockedTableAnswers503NotConfirmedBeforeTheClientsDeadlineAndTheEventMayBeSentAgain() throws Exception {
        assertTrue(config.requestTimeout().compareTo(CLI_REQUEST_DEADLINE) < 0,
                "the default request timeout " + config.requestTimeout() + " is shorter than the CLI's 5 s deadline");
        assertEquals(204, post(Events.valid()), "a warm collector");
        ObjectNode event = Events.valid();
        HttpRequest request = HttpRequest.newBuilder(endpoint.toURI()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(event.toString())).build();
        HttpResponse<String> response;
        long sent;
        long answered;
        try (Connection lock = admin()) {
            lock.setAutoCommit(false);
            sql(lock, "LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
            try {
                sent = System.nanoTime();
                response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
                answered = System.nanoTime();
                // the lock outlasts the request: the insert waiting on it gives up (its statement timeout) rather
                // than commit once the lock is gone
                assertEquals(0, await(() -> insertsWaitingOnALock(), 0), "the waiting insert was cancelled");
            } finally {
                lock.rollback();
            }
        }
        System.out.printf("StorageFaultsTest: the 503 came %d ms after the request (request timeout %s)%n",
                (answered - sent) / 1_000_000, config.requestTimeout());
        assertEquals(503, response.statusCode(), response.body());
        assertNotNull(response.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        assertTrue(response.body().contains("not confirmed") && response.body().contains("safe to send it again"),
                response.body());
        assertEquals(0, Events.stored(db, event.get("event_id").asText()), "not stored after the lock");
        // sending it again is safe: stored once
        assertEquals(204, await(() -> post(event), 204));
        assertEquals(1, Events.stored(db, event.get("event_id").asText()));
        // the request's wait and the insert's statement timeout are the same length: either one may run out first
        String log = log();
        assertTrue(log.contains("not confirmed within") || log.contains("SQL state 57014"), "the timeout is logged:\n" + log);
    }

    private int insertsWaitingOnALock() {
        try (Connection c = admin(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                     + "AND query LIKE 'INSERT INTO events%' AND application_name = 'roar-collector'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
