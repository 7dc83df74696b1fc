package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The database stops mid-test: 503 with Retry-After, never 204; it comes back: ingest resumes, no restart. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DatabaseOutageTest {
    @Inject AgroalDataSource db;

    private static Response post(ObjectNode event) {
        return given().contentType("application/json").body(event.toString()).post(Events.PATH);
    }

    @Test
    void whileTheDatabaseIsDownEventsAre503WithRetryAfterAndAfterwardsIngestResumes() throws Exception {
        ObjectNode before = Events.valid();
        post(before).then().statusCode(204);

        Pg.run("stop");
        List<ObjectNode> refused = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                ObjectNode event = Events.valid();
                Response response = post(event);
                String body = response.asString();
                assertEquals(503, response.statusCode(), body);
                assertNotNull(response.header("Retry-After"), "Retry-After");
                assertTrue(Integer.parseInt(response.header("Retry-After")) > 0);
                assertEquals("application/problem+json", response.contentType());
                assertFalse(body.contains("Exception") || body.contains("\tat "), "no stack trace: " + body);
                refused.add(event);
            }
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            Pg.run("start");
        }

        ObjectNode after = Events.valid();
        long deadline = System.nanoTime() + 30_000_000_000L;
        int status;
        do {
            status = post(after).statusCode();
            assertTrue(status == 204 || status == 503, "only 204 or 503 while it recovers, got " + status);
        } while (status != 204 && System.nanoTime() < deadline && sleep());
        assertEquals(204, status, "ingest resumed within 30 s of the database's return");
        assertEquals(1, Events.stored(db, after.get("event_id").asText()));
        assertEquals(1, Events.stored(db, before.get("event_id").asText()));
        for (ObjectNode event : refused) {
            assertEquals(0, Events.stored(db, event.get("event_id").asText()), "a 503 event is not stored");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static boolean sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
