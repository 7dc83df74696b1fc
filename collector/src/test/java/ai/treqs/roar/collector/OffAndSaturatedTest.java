package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * One application start for two configurations that differ from the rest: no read token (the summary is off,
 * 404), and a collector whose writers cannot keep up (none here, a queue of one): saturated, it answers 503
 * with Retry-After, and an event that waited past the request timeout is 503 too, never 204.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(OffAndSaturatedTest.NoTokenNoWriters.class)
class OffAndSaturatedTest {
    public static class NoTokenNoWriters implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("roar.collector.read-token", "", "roar.collector.writer-threads", "0",
                    "roar.collector.queue-capacity", "1", "roar.collector.request-timeout", "3S");
        }
    }

    @Inject AgroalDataSource db;

    @Test
    void withoutATokenTheSummaryIs404() {
        given().get(SummaryTest.SUMMARY).then().statusCode(404);
        given().header("Authorization", "Bearer ").get(SummaryTest.SUMMARY).then().statusCode(404);
        given().header("Authorization", "Bearer test-read-token").get(SummaryTest.SUMMARY).then().statusCode(404);
    }

    @Test
    void withoutATokenTheDashboardIs404() {
        for (String path : new String[] {"/dashboard", "/dashboard/adoption", "/dashboard/login",
                "/dashboard/funnel.csv", "/dashboard/dashboard.css"}) {
            given().redirects().follow(false).get(path).then().statusCode(404);
        }
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("token", "")
                .post("/dashboard/login").then().statusCode(404);
    }

    @Test
    void saturatedOrTimedOutIs503WithRetryAfterAndNothingStored() throws Exception {
        ObjectNode waiting = Events.valid();
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(
                () -> given().contentType("application/json").body(waiting.toString()).post(Events.PATH));
        Thread.sleep(1000); // the first event now fills the queue
        ObjectNode refused = Events.valid();
        Response saturated = given().contentType("application/json").body(refused.toString()).post(Events.PATH);
        assertEquals(503, saturated.statusCode(), saturated.asString());
        assertNotNull(saturated.header("Retry-After"));
        Response timedOut = first.get();
        assertEquals(503, timedOut.statusCode(), timedOut.asString());
        assertNotNull(timedOut.header("Retry-After"));
        assertEquals(0, Events.stored(db, waiting.get("event_id").asText()));
        assertEquals(0, Events.stored(db, refused.get("event_id").asText()));
    }
}
