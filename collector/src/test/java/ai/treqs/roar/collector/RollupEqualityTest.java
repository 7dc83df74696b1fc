package ai.treqs.roar.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

import ai.treqs.roar.collector.summary.SummaryQueries;
import ai.treqs.roar.collector.summary.Window;

/**
 * Every figure of the summary and the dashboard (SummaryQueries, read from the rollups) equals its definition over
 * the raw events (RawFigures), small-group folding included; distinct installs, hll estimates, within their stated
 * error, on a generated half year of a few
 * thousand events with every edge (RollupDataSet): installs across window boundaries, upgrades, duplicate
 * deliveries, events arriving out of sequence order, a tie on sequence, and events received in other weeks.
 * Half arrive through the ingest path (group commit, concurrent, two writers each updating its own stripe of the
 * rollups), half as multi-install statements. Windows start
 * and end mid-week and on week bounds, for every version and for one, with k from 1 (nothing folded) to more
 * installs than most versions have (most folded into other).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RollupEqualityTest {
    static final List<Window> WINDOWS = List.of(
            new Window(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-05-31")),
            new Window(LocalDate.parse("2026-02-02"), LocalDate.parse("2026-02-08")),
            new Window(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-07")),
            new Window(LocalDate.parse("2026-02-15"), LocalDate.parse("2026-03-16")),
            new Window(LocalDate.parse("2026-02-10"), LocalDate.parse("2026-02-10")));
    static final List<Integer> KS = List.of(1, 5, 40, 150);
    /** The error the docs state for distinct installs: three standard errors (1.63 % each). */
    static final double ESTIMATE_ERROR = 0.05;

    @Inject AgroalDataSource db;
    @TestHTTPResource("/api/v1/telemetry/roar") URL ingest;

    @Test
    void figuresFromRollupsEqualFiguresFromEvents() throws Exception {
        Events.truncate(db);
        RollupDataSet data = RollupDataSet.generate(26, 800);
        post(data.posted());
        RollupDataSet.insert(db, data.inserted());
        assertEquals(2911, data.distinctEvents(), "the data set: 2,911 events, 3,048 deliveries");
        assertEquals(data.distinctEvents(), Events.count(db, "true"), "every event stored once");

        int folded = 0;
        int rows = 0;
        double worst = 0;
        try (Connection c = db.getConnection()) {
            for (Window window : WINDOWS) {
                for (Optional<String> version : List.of(Optional.<String>empty(), Optional.of("0.3.0"))) {
                    Window w = window.withVersion(version);
                    for (int k : KS) {
                        String where = w.from() + ".." + w.to() + " " + version.orElse("all versions") + " k=" + k + ": ";
                        for (String[] figure : RawFigures.PAIRS) {
                            List<List<String>> expected = normal(SummaryQueries.rows(c, figure[1], w, k));
                            List<List<String>> actual = normal(SummaryQueries.rows(c, figure[0], w, k));
                            int estimated = estimatedColumn(figure[2]);
                            if (estimated >= 0) {
                                worst = Math.max(worst, assertWithinError(expected, actual, estimated, where + figure[2]));
                                actual = exact(actual, expected, estimated);
                            }
                            assertEquals(expected, actual, where + figure[2]);
                            rows += expected.size();
                            folded += (int) expected.stream().filter(r -> r.contains("other")).count();
                        }
                    }
                }
            }
        }
        assertTrue(rows > 1000 && folded > 50, "the figures compared hold rows (" + rows + ") and folded ones ("
                + folded + ")");
        assertTrue(worst > 0, "some estimate is not exact, so the sketches were compared, not only their exact range");
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet stripes = s.executeQuery(RawFigures.STRIPES)) {
            stripes.next();
            assertTrue(stripes.getInt(1) > 1, "the writers kept their own stripes of the rollups, which the figures add up");
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

    /** The column of a figure that is an hll estimate, or -1 when it is exact. */
    private static int estimatedColumn(String figure) {
        return RawFigures.ESTIMATED.stream().filter(e -> e.startsWith(figure + " "))
                .mapToInt(e -> Integer.parseInt(e.substring(figure.length() + 1))).findFirst().orElse(-1);
    }

    /**
     * Each estimate is within ESTIMATE_ERROR of the exact count (three standard errors of the sketches' 4,096
     * registers, docs/collector.md#rollups), and the rows have the same labels; returns the largest relative error.
     */
    private static double assertWithinError(List<List<String>> exact, List<List<String>> estimated, int column,
            String what) {
        assertEquals(exact.size(), estimated.size(), what + ": the same rows");
        double worst = 0;
        for (int i = 0; i < exact.size(); i++) {
            long truth = Long.parseLong(exact.get(i).get(column));
            long estimate = Long.parseLong(estimated.get(i).get(column));
            assertTrue(Math.abs(estimate - truth) <= Math.ceil(ESTIMATE_ERROR * truth),
                    what + ": " + estimate + " estimates " + truth + " (" + exact.get(i) + ")");
            if (truth > 0) {
                worst = Math.max(worst, Math.abs(estimate - truth) / (double) truth);
            }
        }
        return worst;
    }

    /** The estimated rows with the exact counts in the estimated column, to compare every other column equal. */
    private static List<List<String>> exact(List<List<String>> estimated, List<List<String>> exact, int column) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < estimated.size(); i++) {
            List<String> row = new ArrayList<>(estimated.get(i));
            row.set(column, exact.get(i).get(column));
            out.add(row);
        }
        return out;
    }

    private static List<String> rowsAsText(ResultSet rs) throws Exception {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            out.add(rs.getString(1));
        }
        return out;
    }

    /**
     * Numbers compared by value (a count is a long on one side and a numeric sum on the other); rows in the order
     * the query gives them, except the funnel's, which has no order (sorted here).
     */
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
        if (!out.isEmpty() && SummaryQueries.FUNNEL.contains(out.get(0).get(0))) {
            out.sort(Comparator.comparing(r -> r.get(0)));
        }
        return out;
    }
}
