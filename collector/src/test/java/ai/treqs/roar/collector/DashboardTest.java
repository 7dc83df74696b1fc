package ai.treqs.roar.collector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The dashboard over HTTP: the sign-in cookie, the headers, the small-group rule in the summary and the CSV. */
@QuarkusTest
@TestProfile(DashboardProfile.class)
@QuarkusTestResource(PostgresResource.class)
class DashboardTest {
    @Inject AgroalDataSource db;

    @BeforeEach
    void data() throws Exception {
        DashboardData.load(db, LocalDate.now(ZoneOffset.UTC));
    }

    static String signIn() {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", SummaryTest.TOKEN).formParam("next", "/dashboard/outcomes?days=7")
                .post("/dashboard/login");
        r.then().statusCode(303).header("Location", containsString("/dashboard/outcomes?days=7"));
        String setCookie = r.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: " + setCookie);
        assertTrue(setCookie.contains("Path=/dashboard"), setCookie);
        return r.getCookie("roar_dashboard");
    }

    @Test
    void signingInTakesTheReadTokenAndNothingElse() {
        given().redirects().follow(false).get("/dashboard").then().statusCode(303)
                .header("Location", containsString("/dashboard/login?next=%2Fdashboard"));
        given().get("/dashboard/login").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("name=\"token\""));
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", "wrong").post("/dashboard/login").then().statusCode(401)
                .body(containsString("That is not the read token.")).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).cookie("roar_dashboard", "4102444800.0000").get("/dashboard").then()
                .statusCode(303);
        String cookie = signIn();
        given().cookie("roar_dashboard", cookie).get("/dashboard").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Frame-Options", "DENY")
                .body(not(containsString("<script"))).body(not(containsString("style=")));
        given().cookie("roar_dashboard", cookie).get("/dashboard/dashboard.css").then().statusCode(200)
                .contentType(containsString("text/css"));
        // after signing in, only this collector's dashboard: never another site
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", SummaryTest.TOKEN).formParam("next", "//evil.example/dashboard")
                .post("/dashboard/login").then().statusCode(303).header("Location", not(containsString("evil")));
        given().redirects().follow(false).cookie("roar_dashboard", cookie).post("/dashboard/logout").then()
                .statusCode(303).header("Set-Cookie", containsString("Max-Age=0"));
    }

    @Test
    void aBadWindowIsRefusedInWords() {
        String cookie = signIn();
        for (Map<String, String> q : List.of(Map.of("days", "8"), Map.of("from", "2026-03-02", "to", "2026-03-01"),
                Map.of("from", "0000-12-31"), Map.of("to", "+10000-01-01"), Map.of("version", "<b>"))) {
            given().cookie("roar_dashboard", cookie).queryParams(q).get("/dashboard/adoption").then().statusCode(400)
                    .contentType(containsString("text/html")).body(not(containsString("<b>")));
        }
    }

    @Test
    void smallGroupsAreHiddenInTheSummaryAndLeftOutOfTheCsv() {
        JsonPath s = given().header("Authorization", "Bearer " + SummaryTest.TOKEN).get(SummaryTest.SUMMARY).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(5, s.getInt("min_installs"));
        assertEquals(60, s.getInt("installs_seen"));
        assertEquals(List.of(60, 48, 24, 12, "< 5"), s.getList("funnel.installs"));
        assertEquals("first_successful_roar_run", s.getString("funnel_most_stop_before"));
        assertEquals(Map.of("0.3.0", 30, "0.2.1", 22, "0.2.0", 6, "other", "< 5"), s.getMap("installs_by_version"));
        assertTrue(s.getList("installs_by_platform.os").contains("other"));
        assertFalse(s.getList("installs_by_platform.os").contains("windows"));
        assertEquals("< 5", s.getString("subcommand_counts.run_failed_internal"));
        assertEquals("< 5", s.getString("capability_installs.other"));
        assertFalse(s.getMap("capability_shares").containsKey("ray_enabled"));

        String cookie = signIn();
        String funnel = given().cookie("roar_dashboard", cookie).get("/dashboard/funnel.csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertEquals(List.of("Step,Installs,Share of first seen", "first_seen_for_install_id,60,1.0000",
                "init,48,0.8000", "first_successful_roar_run,24,0.4000", "second_successful_roar_run,12,0.2000"),
                List.of(funnel.split("\r\n")));
        String outcomes = given().cookie("roar_dashboard", cookie).get("/dashboard/outcomes.csv").then().statusCode(200)
                .extract().asString();
        assertTrue(outcomes.contains("run_success,"), outcomes);
        assertFalse(outcomes.contains("run_failed_internal"), outcomes);
        given().redirects().follow(false).get("/dashboard/funnel.csv").then().statusCode(303);
        given().cookie("roar_dashboard", cookie).get("/dashboard/nothing.csv").then().statusCode(404);
    }

    @Test
    void theVersionFilterNarrowsEveryFigure() {
        JsonPath s = given().header("Authorization", "Bearer " + SummaryTest.TOKEN).queryParam("version", "0.3.0")
                .get(SummaryTest.SUMMARY).then().statusCode(200).extract().jsonPath();
        assertEquals("0.3.0", s.getString("version"));
        assertEquals(30, s.getInt("installs_seen"));
        assertEquals(Map.of("0.3.0", 30), s.getMap("installs_by_version"));
        assertEquals(30, s.getInt("funnel[0].installs"));
        given().header("Authorization", "Bearer " + SummaryTest.TOKEN).queryParam("version", "9.9.9")
                .get(SummaryTest.SUMMARY).then().statusCode(200).body("installs_seen", equalTo(0));
        given().cookie("roar_dashboard", signIn()).queryParam("version", "9.9.9").get("/dashboard/platforms").then()
                .statusCode(200).body(containsString("No events in this window."))
                .body(containsString("<option value=\"9.9.9\" selected>"));
    }
}
