import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ai.treqs.roar.collector.summary.SummaryQueries;
import ai.treqs.roar.collector.summary.Window;

/**
 * Times every summary and dashboard view (bench/scale.sh): each SummaryQueries query for a window of DAYS days
 * ending today, REPEAT times after 2 warm-ups, plus the whole summary over HTTP; prints p50/p95 milliseconds
 * (query sent until its last row read, on loopback), then EXPLAIN (ANALYZE, BUFFERS) of the slowest query.
 * Usage: java -cp <app jar>:<postgresql jar> ViewTimer.java JDBC_URL SUMMARY_URL TOKEN REPEAT VERSION DAYS...
 */
public class ViewTimer {
    record View(String name, String sql, boolean versioned) {}

    /** The small-group threshold the collector uses by default. */
    static final int K = 5;

    static final List<View> VIEWS = List.of(
            new View("installs seen", SummaryQueries.INSTALLS_SEEN, false),
            new View("events by trigger", SummaryQueries.EVENTS_BY_TRIGGER, false),
            new View("funnel (first seen in window)", SummaryQueries.FUNNEL_STEPS, false),
            new View("installs by version", SummaryQueries.INSTALLS_BY_VERSION, false),
            new View("installs by os/arch", SummaryQueries.INSTALLS_BY_PLATFORM, false),
            new View("weekly active by version", SummaryQueries.WEEKLY_ACTIVE, false),
            new View("subcommand counts (newest)", SummaryQueries.SUBCOMMAND_COUNTS, false),
            new View("tracer selections (newest)", SummaryQueries.TRACER_SELECTIONS, false),
            new View("capabilities (newest)", SummaryQueries.CAPABILITIES, false),
            new View("funnel, one version", SummaryQueries.FUNNEL_STEPS, true),
            new View("run outcomes, one version", SummaryQueries.SUBCOMMAND_COUNTS, true));

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String summaryUrl = args[1];
        String token = args[2];
        int repeat = Integer.parseInt(args[3]);
        String version = args[4];
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        double slowest = -1;
        String[] slowestCase = null;
        System.out.printf("%-36s %6s %9s %9s%n", "view", "days", "p50 ms", "p95 ms");
        try (Connection c = DriverManager.getConnection(url, System.getenv("PGUSER"), System.getenv("PGPASSWORD"))) {
            // as the collector's reads do
            c.createStatement().execute(SummaryQueries.READ_WORK_MEM);
            for (int a = 5; a < args.length; a++) {
                int days = Integer.parseInt(args[a]);
                LocalDate from = today.minusDays(days - 1);
                LocalDate until = today.plusDays(1);
                for (View v : VIEWS) {
                    String ver = v.versioned ? version : null;
                    double[] ms = new double[repeat];
                    for (int i = -2; i < repeat; i++) {
                        long t0 = System.nanoTime();
                        run(c, "", v, from, until, ver);
                        if (i >= 0) {
                            ms[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    Arrays.sort(ms);
                    System.out.printf("%-36s %6d %9.1f %9.1f%n", v.name, days, pct(ms, 0.5), pct(ms, 0.95));
                    if (pct(ms, 0.95) > slowest) {
                        slowest = pct(ms, 0.95);
                        slowestCase = new String[] {String.valueOf(VIEWS.indexOf(v)), from.toString(), until.toString()};
                    }
                }
                double[] ms = new double[repeat];
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create(summaryUrl + "?from=" + from + "&to=" + today))
                        .header("Authorization", "Bearer " + token).build();
                for (int i = -2; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("summary answered " + answer.statusCode() + ": " + answer.body());
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("%-36s %6d %9.1f %9.1f%n", "GET summary (all its figures, HTTP)", days, pct(ms, 0.5),
                        pct(ms, 0.95));
            }
            View v = VIEWS.get(Integer.parseInt(slowestCase[0]));
            System.out.println("== EXPLAIN (ANALYZE, BUFFERS) of the slowest view: " + v.name + ", " + slowestCase[1]
                    + " to " + slowestCase[2] + " (exclusive)");
            for (List<Object> row : run(c, "EXPLAIN (ANALYZE, BUFFERS) ", v, LocalDate.parse(slowestCase[1]),
                    LocalDate.parse(slowestCase[2]), v.versioned ? version : null)) {
                System.out.println(row.get(0));
            }
        }
    }

    static List<List<Object>> run(Connection c, String prefix, View v, LocalDate from, LocalDate until, String version)
            throws Exception {
        Window window = new Window(from, until.minusDays(1), Optional.ofNullable(version));
        return SummaryQueries.rows(c, prefix + v.sql, window, K);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }
}
