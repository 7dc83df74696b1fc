package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** No read token configured: the summary endpoint is off (404), whatever the request carries. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(SummaryOffTest.NoToken.class)
class SummaryOffTest {
    public static class NoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("roar.collector.read-token", "");
        }
    }

    @Test
    void withoutATokenTheSummaryIs404() {
        given().get(SummaryTest.SUMMARY).then().statusCode(404);
        given().header("Authorization", "Bearer ").get(SummaryTest.SUMMARY).then().statusCode(404);
        given().header("Authorization", "Bearer test-read-token").get(SummaryTest.SUMMARY).then().statusCode(404);
    }
}
