package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The summary behind the read token, computed from events posted through the ingest path. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SummaryTest {
    static final String SUMMARY = "/api/v1/telemetry/roar/summary";
    static final String TOKEN = "test-read-token";

    @Inject AgroalDataSource db;

    private static void post(ObjectNode e) {
        given().contentType("application/json").body(e.toString()).post(Events.PATH).then().statusCode(204);
    }

    private static ObjectNode event(String install, String trigger, long sequence, String day, String os, String version) {
        ObjectNode e = Events.valid(install, trigger, sequence);
        e.put("trigger_ts", day + "T12:00:00Z");
        ((ObjectNode) e.get("platform")).put("os", os);
        e.put("version", version);
        return e;
    }

    @Test
    void theFiguresOfTheWindow() throws Exception {
        Events.truncate(db);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        post(event(a, "first_seen_for_install_id", 1, "2026-03-01", "linux", "0.3.0"));
        post(event(a, "init", 2, "2026-03-01", "linux", "0.3.0"));
        ObjectNode aNewest = event(a, "first_successful_roar_run", 3, "2026-03-02", "linux", "0.3.0");
        ((ObjectNode) aNewest.get("subcommand_counts")).put("run", 5).put("run_success", 5);
        ((ObjectNode) aNewest.get("feature_capabilities")).put("proxy_enabled", true);
        post(aNewest);
        ObjectNode bNewest = event(b, "first_seen_for_install_id", 1, "2026-03-02", "macos", "0.2.0");
        ((ObjectNode) bNewest.get("subcommand_counts")).removeAll().put("init", 1);
        ((ObjectNode) bNewest.get("tracer_selections")).removeAll().put("auto", 3);
        post(bNewest);
        // outside the window: not counted
        post(event(UUID.randomUUID().toString(), "init", 1, "2026-04-01", "windows", "9.9.9"));

        JsonPath s = given().header("Authorization", "Bearer " + TOKEN)
                .queryParam("from", "2026-03-01").queryParam("to", "2026-03-02")
                .get(SUMMARY).then().statusCode(200).extract().jsonPath();
        assertEquals("2026-03-01", s.getString("from"));
        assertEquals(2, s.getInt("installs_seen"));
        assertEquals(Map.of("first_seen_for_install_id", 2, "init", 1, "first_successful_roar_run", 1),
                s.getMap("events_by_trigger"));
        assertEquals(List.of(2, 1, 1, 0, 0), s.getList("funnel.installs"));
        assertEquals(List.of("first_seen_for_install_id", "init", "first_successful_roar_run",
                "second_successful_roar_run", "third_successful_roar_run"), s.getList("funnel.step"));
        assertEquals(Map.of("0.2.0", 1, "0.3.0", 1), s.getMap("installs_by_version"));
        assertEquals(List.of("linux", "macos"), s.getList("installs_by_platform.os"));
        // newest of a (init 1, run 5, run_success 5) + newest of b (init 1)
        assertEquals(Map.of("init", 2, "run", 5, "run_success", 5), s.getMap("subcommand_counts"));
        assertEquals(Map.of("disabled", 2, "auto", 3), s.getMap("tracer_selections"));
        assertEquals(0.5f, s.getFloat("capability_shares.proxy_enabled"));
        assertEquals(1.0f, s.getFloat("capability_shares.ebpf_supported"));
        assertEquals(0.0f, s.getFloat("capability_shares.ray_enabled"));

        given().header("Authorization", "Bearer " + TOKEN).queryParam("from", "2026-04-01").queryParam("to", "2026-04-01")
                .get(SUMMARY).then().statusCode(200).body("installs_seen", equalTo(1));
    }

    @Test
    void theTokenIsRequiredAndDatesAreChecked() {
        given().get(SUMMARY).then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer wrong").get(SUMMARY).then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN + "x").get(SUMMARY).then().statusCode(401);
        given().header("Authorization", "Basic " + TOKEN).get(SUMMARY).then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).get(SUMMARY).then().statusCode(200);
        given().header("Authorization", "Bearer " + TOKEN).queryParam("from", "yesterday").get(SUMMARY).then()
                .statusCode(400).body("rule", equalTo("date")).body("path", equalTo("from"));
        given().header("Authorization", "Bearer " + TOKEN).queryParam("from", "2026-03-02").queryParam("to", "2026-03-01")
                .get(SUMMARY).then().statusCode(400).body("rule", equalTo("date_order"));
    }

    @Test
    void datesOutsideYears1To9999Are400ProblemsNever500() {
        String[][] outside = {{"to", "+999999999-12-31"}, {"from", "-999999999-01-01"}, {"to", "+10000-01-01"},
                {"from", "0000-12-31"}, {"from", "-0001-01-01"}};
        for (String[] date : outside) {
            given().header("Authorization", "Bearer " + TOKEN).queryParam(date[0], date[1]).get(SUMMARY).then()
                    .statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("rule", equalTo("date_range")).body("path", equalTo(date[0]));
        }
        // the edges are fine, and a window ending on 0001-01-01 starts there
        given().header("Authorization", "Bearer " + TOKEN).queryParam("from", "0001-01-01").queryParam("to", "9999-12-31")
                .get(SUMMARY).then().statusCode(200).body("from", equalTo("0001-01-01")).body("to", equalTo("9999-12-31"));
        given().header("Authorization", "Bearer " + TOKEN).queryParam("to", "0001-01-05")
                .get(SUMMARY).then().statusCode(200).body("from", equalTo("0001-01-01"));
        // 'from' after the default 'to' (today)
        given().header("Authorization", "Bearer " + TOKEN).queryParam("from", "9999-12-31").get(SUMMARY).then()
                .statusCode(400).body("rule", equalTo("date_order"));
    }
}
