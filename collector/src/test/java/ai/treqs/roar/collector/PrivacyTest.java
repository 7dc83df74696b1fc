package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Requests that carry identifying headers and forwarded addresses, accepted and refused; then every table (a
 * full pg_dump of the data) and every log line are searched for them.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class PrivacyTest {
    static final Map<String, String> IDENTIFYING = Map.of(
            "User-Agent", "roar-agent-UAMARK/9.9 (host-UAMARK)",
            "X-Forwarded-For", "203.0.113.77, 198.51.100.23",
            "Forwarded", "for=192.0.2.61;proto=https;by=203.0.113.43",
            "X-Real-IP", "192.0.2.199",
            "Referer", "https://intranet.example/REFMARK",
            "Cookie", "session=COOKIEMARK",
            "X-Request-Id", "REQIDMARK",
            "Authorization", "Bearer AUTHMARK");

    @Inject AgroalDataSource db;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url;

    private RequestSpecification request() {
        return given().headers(IDENTIFYING).contentType("application/json");
    }

    @Test
    void noClientAddressHeaderOrUserAgentReachesAnyTableOrLogLine() throws Exception {
        ObjectNode accepted = Events.valid();
        request().body(accepted.toString()).post(Events.PATH).then().statusCode(204);
        request().body(accepted.toString()).post(Events.PATH).then().statusCode(204);
        ObjectNode refused = Events.valid();
        refused.put("trigger", "preview");
        request().body(refused.toString()).post(Events.PATH).then().statusCode(400);
        request().body("not json").post(Events.PATH).then().statusCode(400);
        request().contentType("text/plain").body("x".getBytes(StandardCharsets.UTF_8)).post(Events.PATH).then().statusCode(415);
        request().get(Events.PATH).then().statusCode(405);
        request().get("/api/v1/telemetry/roar/summary").then().statusCode(401);
        // and from a client address of its own (127.0.0.9 is loopback too), so its absence can be checked
        ObjectNode fromNine = Events.valid();
        assertTrue(rawPostFrom("127.0.0.9", fromNine.toString()).startsWith("HTTP/1.1 204"));
        assertTrue(rawPostFrom("127.0.0.9", "{\"payload_schema_version\": 7}").startsWith("HTTP/1.1 400"));
        assertEquals(1, Events.stored(db, accepted.get("event_id").asText()));
        assertEquals(1, Events.stored(db, fromNine.get("event_id").asText()));

        String dump = dumpAllData();
        assertTrue(dump.contains(accepted.get("event_id").asText()), "the dump holds the stored event");
        // this application's log: each start rotates the previous one to collector-test.log.1 (rotate on boot)
        String log = Files.readString(Path.of("target/collector-test.log"), StandardCharsets.UTF_8);
        assertFalse(log.isBlank(), "the application logged (the capture works)");
        for (String needle : List.of("UAMARK", "roar-agent", "203.0.113", "198.51.100", "192.0.2", "REFMARK", "COOKIEMARK",
                "REQIDMARK", "AUTHMARK", "intranet.example", "127.0.0.9")) {
            assertFalse(dump.contains(needle), "a table holds " + needle);
            assertFalse(log.contains(needle), "a log line holds " + needle);
        }
        // the only tables: the events (by month), their ids, the rollups made from them and Flyway's history
        List<String> derived = List.of("daily_events", "daily_installs", "daily_trigger_installs", "event_ids",
                "flyway_schema_history", "funnel_days", "installs", "newest_days", "received_installs", "weekly_installs",
                "weekly_triggers", "weekly_received_installs");
        for (String table : tables(dump)) {
            assertTrue(derived.contains(table) || table.matches("events_([0-9]{4}_[0-9]{2}|default)"), table);
        }
    }

    private static String rawPostFrom(String clientAddress, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + Events.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n");
        IDENTIFYING.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"),
                io.restassured.RestAssured.port, java.net.InetAddress.getByName(clientAddress), 0)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String dumpAllData() throws Exception {
        String hostPortDb = url.substring("jdbc:postgresql://".length());
        String host = hostPortDb.substring(0, hostPortDb.indexOf(':'));
        String port = hostPortDb.substring(hostPortDb.indexOf(':') + 1, hostPortDb.indexOf('/'));
        ProcessBuilder pb = new ProcessBuilder(Pg.BIN.resolve("pg_dump").toString(), "--data-only", "--inserts",
                "-h", host, "-p", port, "-U", "roar", "roar").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "roar");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static List<String> tables(String dump) {
        return dump.lines().filter(l -> l.startsWith("-- Data for Name: "))
                .map(l -> l.substring("-- Data for Name: ".length(), l.indexOf(';'))).sorted().toList();
    }
}
