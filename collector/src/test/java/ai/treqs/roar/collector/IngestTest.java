package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The ingest path's status codes against a real PostgreSQL (docs/collector.md#the-ingest-endpoint). */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class IngestTest {
    static final String ALLOW = "POST, OPTIONS";

    @Inject AgroalDataSource db;
    @TestHTTPResource(Events.PATH) URL endpoint;

    @Test
    void aValidEventIsStoredAndAnswered204() throws Exception {
        ObjectNode event = Events.valid();
        given().contentType("application/json").body(event.toString()).post(Events.PATH)
                .then().statusCode(204);
        String id = event.get("event_id").asText();
        assertEquals(1, Events.stored(db, id));
        assertEquals(1, Events.count(db, "event_id = ? AND payload = ?::jsonb AND trigger = 'init' AND sequence = 1 "
                + "AND os = 'linux' AND arch = 'x86_64' AND version = '0.3.0' AND install_id = ?::uuid",
                id, event.toString(), event.get("install_id").asText()));
        // again: idempotent, still one row
        given().contentType("application/json; charset=UTF-8").body(event.toString()).post(Events.PATH)
                .then().statusCode(204);
        assertEquals(1, Events.stored(db, id));
    }

    @Test
    void fiveConcurrentPostsOfOneEventFromFiveConnectionsStoreItOnce() throws Exception {
        String body = Events.valid().toString();
        String id = Events.MAPPER.readTree(body).get("event_id").asText();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            statuses.add(pool.submit(() -> {
                go.await();
                return client.send(HttpRequest.newBuilder(endpoint.toURI())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        go.countDown();
        for (Future<Integer> status : statuses) {
            assertEquals(204, status.get());
        }
        pool.shutdown();
        assertEquals(1, Events.stored(db, id));
    }

    @Test
    void notJsonNotAnObjectAndUnknownVersionsAre400ProblemsThatNameRuleAndPath() throws Exception {
        long before = Events.count(db, "true");
        problem("{\"payload_schema_version\": 1,", "not_json", "$");
        problem("", "not_json", "$");
        problem("{\"a\":1} {\"b\":2}", "not_json", "$");
        problem("{\"event_id\":\"x\",\"event_id\":\"y\"}", "not_json", "$");
        problem(new String(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, java.nio.charset.StandardCharsets.ISO_8859_1), "not_json", "$");
        problem("[1,2]", "not_an_object", "$");
        problem("\"text\"", "not_an_object", "$");
        ObjectNode v2 = Events.valid();
        v2.put("payload_schema_version", 2);
        problem(v2.toString(), "unsupported_schema_version", "$.payload_schema_version");
        ObjectNode none = Events.valid();
        none.remove("payload_schema_version");
        problem(none.toString(), "unsupported_schema_version", "$.payload_schema_version");
        ObjectNode text = Events.valid();
        text.put("payload_schema_version", "1");
        problem(text.toString(), "unsupported_schema_version", "$.payload_schema_version");
        assertEquals(before, Events.count(db, "true"), "nothing refused is stored");
    }

    private void problem(String body, String rule, String path) {
        given().contentType("application/json").body(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .post(Events.PATH).then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("rule", equalTo(rule)).body("path", equalTo(path)).body("status", equalTo(400));
    }

    @Test
    void over64KiBIs413() throws Exception {
        ObjectNode event = Events.valid();
        event.put("padding", "x".repeat(64 * 1024));
        given().contentType("application/json").body(event.toString()).post(Events.PATH).then().statusCode(413);
        assertEquals(0, Events.stored(db, event.get("event_id").asText()));
        // exactly at the limit is read (and refused by the schema, not by size)
        String exact = "{\"payload_schema_version\":1,\"p\":\"" + "x".repeat(64 * 1024 - 35) + "\"}";
        assertEquals(64 * 1024, exact.length());
        given().contentType("application/json").body(exact).post(Events.PATH).then().statusCode(400)
                .body("rule", equalTo("additionalProperties"));
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        ObjectNode event = Events.valid();
        HttpClient client = HttpClient.newHttpClient();
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
                "application/jsonx", "application/xml")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint.toURI()).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, response.statusCode(), type);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), type);
        }
        HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.toURI())
                .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, none.statusCode(), "no content type");
        assertEquals(0, Events.stored(db, event.get("event_id").asText()));
    }

    @Test
    void otherMethodsAre405WithAllow() {
        given().get(Events.PATH).then().statusCode(405).contentType(startsWith("application/problem+json"))
                .header("Allow", ALLOW);
        given().contentType("application/json").body(Events.valid().toString()).put(Events.PATH).then().statusCode(405)
                .header("Allow", ALLOW);
        given().delete(Events.PATH).then().statusCode(405).header("Allow", ALLOW);
        given().contentType("application/json").body("{}").patch(Events.PATH).then().statusCode(405).header("Allow", ALLOW);
        given().head(Events.PATH).then().statusCode(405).header("Allow", ALLOW);
        // OPTIONS names the same methods as every 405
        given().options(Events.PATH).then().statusCode(204).header("Allow", ALLOW);
    }

    @Test
    void aByteOrderMarkOrAUtf16Or32BodyIsNotJson() throws Exception {
        ObjectNode event = Events.valid();
        String text = event.toString();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        List<byte[]> bodies = List.of(bom, text.getBytes(StandardCharsets.UTF_16), text.getBytes(StandardCharsets.UTF_16BE),
                text.getBytes(StandardCharsets.UTF_16LE), text.getBytes(Charset.forName("UTF-32BE")),
                text.getBytes(Charset.forName("UTF-32LE")));
        for (byte[] body : bodies) {
            given().contentType("application/json").body(body).post(Events.PATH).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("rule", equalTo("not_json"))
                    .body("path", equalTo("$"));
        }
        assertEquals(0, Events.stored(db, event.get("event_id").asText()), "nothing stored");
    }

    @Test
    void oddBodiesAreRefusedNever500() throws Exception {
        long before = Events.count(db, "true");
        String valid = Events.valid().toString();
        List<String> bodies = List.of("[".repeat(5000) + "]".repeat(5000),
                valid.replace("\"os\":\"linux\"", "\"os\":" + "{\"a\":".repeat(900) + "1" + "}".repeat(900)),
                valid.replace("\"sequence\":1", "\"sequence\":" + "9".repeat(999)),
                valid.replace("\"sequence\":1", "\"sequence\":1e999999999"),
                valid.replace("\"run\":2", "\"run\":-0.0"),
                valid.replace("\"version\":\"0.3.0\"", "\"version\":\"\\u0000\""),
                valid.replace("\"version\":\"0.3.0\"", "\"version\":\"\\ud800\""),
                valid.replace("\"disabled\":2", "\"\\u0000\":2"));
        for (String body : bodies) {
            int status = given().contentType("application/json").body(body).post(Events.PATH).statusCode();
            assertEquals(400, status, body.length() > 200 ? body.substring(0, 200) : body);
        }
        assertEquals(before, Events.count(db, "true"), "nothing refused is stored");
    }

    @Test
    void thePayloadColumnHoldsTheValidatedEventAsJsonbNotTheBytesSent() throws Exception {
        ObjectNode event = Events.valid();
        event.put("trigger_ts", "2026-02-30T12:00:00Z");
        String sent = "{ \"sequence\" : 1 ,\n" + event.toString().substring(1);
        sent = sent.replace("\"sequence\":1,", "");
        given().contentType("application/json").body(sent).post(Events.PATH).then().statusCode(204);
        String id = event.get("event_id").asText();
        assertEquals(1, Events.count(db, "event_id = ? AND payload = ?::jsonb", id, sent),
                "the payload equals the event as a JSON value");
        assertEquals(1, Events.count(db, "event_id = ? AND payload->>'trigger_ts' = '2026-02-30T12:00:00Z' "
                + "AND trigger_ts = '2026-03-02T12:00:00Z'", id), "the text of a timestamp is kept, the column read leniently");
        assertEquals(1, Events.count(db, "event_id = ? AND payload::text NOT LIKE '%\n%' AND sequence = 1", id),
                "not the bytes sent: PostgreSQL's jsonb form");
    }

    @Test
    void healthAndMetrics() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().contentType("application/json").body(Events.valid().toString()).post(Events.PATH).then().statusCode(204);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("roar_collector_events_total{outcome=\"stored\"}"), metrics);
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("roar_collector_batch_size"), metrics);
        URI unused = endpoint.toURI();
        assertEquals("http", unused.getScheme());
    }
}
