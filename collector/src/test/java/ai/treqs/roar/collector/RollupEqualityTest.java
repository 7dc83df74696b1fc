package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

import ai.treqs.roar.collector.summary.RollupQueries;

/**
 * Every figure the rollups serve equals the same figure computed from the raw events, on a generated half year of
 * a few thousand events with every edge (RollupDataSet): installs across window boundaries, upgrades, duplicate
 * deliveries, events arriving out of sequence order, a tie on sequence, and events received in other weeks.
 * Half arrive through the ingest path (group commit, concurrent), half as multi-install statements.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RollupEqualityTest {
    static final List<LocalDate[]> WINDOWS = List.of(
            new LocalDate[] {LocalDate.parse("2026-01-01"), LocalDate.parse("2026-06-01")},
            new LocalDate[] {LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-08")},
            new LocalDate[] {LocalDate.parse("2026-02-15"), LocalDate.parse("2026-03-17")},
            new LocalDate[] {LocalDate.parse("2026-02-10"), LocalDate.parse("2026-02-11")});

    @Inject AgroalDataSource db;
    @Inject RollupQueries rollups;
    @TestHTTPResource("/api/v1/telemetry/roar") URL ingest;

    @Test
    void figuresFromRollupsEqualFiguresFromEvents() throws Exception {
        Events.truncate(db);
        RollupDataSet data = RollupDataSet.generate(26, 800);
        post(data.posted());
        RollupDataSet.insert(db, data.inserted());
        assertEquals(2911, data.distinctEvents(), "the data set: 2,911 events, 3,048 deliveries");
        assertEquals(data.distinctEvents(), Events.count(db, "true"), "every event stored once");

        for (LocalDate[] w : WINDOWS) {
            for (Optional<String> version : List.of(Optional.<String>empty(), Optional.of("0.3.0"))) {
                String where = w[0] + ".." + w[1] + " " + version.orElse("all versions") + ": ";
                for (String[] figure : RawFigures.PAIRS) {
                    assertEquals(normal(raw(figure[1], w, version)), normal(rollups.query(figure[0], w[0], w[1], version)),
                            where + figure[2]);
                }
                for (String key : List.of("subcommand", "tracer")) {
                    assertEquals(normal(raw(RawFigures.newestSums(key), w, version)),
                            normal(rollups.newestSums(key, w[0], w[1], version)), where + key);
                }
                Map<String, Object> summary = rollups.summary(w[0], w[1], version);
                assertEquals(normal(raw(RawFigures.INSTALLS_AND_STEPS, w, version)).get(0).get(0),
                        normal(List.of(List.of(summary.get("installs_seen")))).get(0).get(0), where + "installs_seen");
            }
        }
        assertEquals(rollupTables(), rebuilt(), "the trigger's rollups equal the ones rebuilt from the events");
    }

    private void post(List<ObjectNode> events) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (ObjectNode e : events) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.toString()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(e.toString())).build();
                answers.add(pool.submit(() -> {
                    HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                    return answer.statusCode() + " " + answer.body();
                }));
            }
            for (Future<String> answer : answers) {
                assertEquals("204 ", answer.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    private List<List<Object>> raw(String sql, LocalDate[] w, Optional<String> version) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, w[0]);
            s.setObject(2, w[1]);
            s.setString(3, version.orElse(null));
            s.setString(4, version.orElse(null));
            return rows(s.executeQuery());
        }
    }

    private List<String> rollupTables() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            return rowsAsText(s.executeQuery(RawFigures.ROLLUP_ROWS));
        }
    }

    private List<String> rebuilt() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT roar_rebuild_rollups()");
        }
        return rollupTables();
    }

    private static List<String> rowsAsText(ResultSet rs) throws Exception {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            out.add(rs.getString(1));
        }
        return out;
    }

    private static List<List<Object>> rows(ResultSet rs) throws Exception {
        int columns = rs.getMetaData().getColumnCount();
        List<List<Object>> out = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
                row.add(rs.getObject(i));
            }
            out.add(row);
        }
        return out;
    }

    /** Numbers compared by value (a count is a long on one side and a numeric sum on the other). */
    private static List<List<String>> normal(List<List<Object>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> r = new ArrayList<>();
            for (Object v : row) {
                r.add(v instanceof Number n ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                        : String.valueOf(v));
            }
            out.add(r);
        }
        return out;
    }
}
