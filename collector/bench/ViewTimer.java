import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.treqs.roar.collector.summary.RollupQueries;

/**
 * Times every summary and dashboard view (bench/scale.sh): each RollupQueries query for a window of DAYS days
 * ending today, REPEAT times after 2 warm-ups, plus the whole summary over HTTP; prints p50/p95 milliseconds
 * (query sent until its last row read, on loopback), then EXPLAIN (ANALYZE, BUFFERS) of the slowest query.
 * Usage: java -cp <app jar>:<postgresql jar> ViewTimer.java JDBC_URL SUMMARY_URL TOKEN REPEAT VERSION DAYS...
 */
public class ViewTimer {
    record View(String name, String sql, String figure, boolean versioned) {}

    static final List<View> VIEWS = List.of(
            new View("installs seen + funnel steps", RollupQueries.INSTALLS_AND_STEPS, null, false),
            new View("events by trigger", RollupQueries.EVENTS_BY_TRIGGER, null, false),
            new View("installs by version", RollupQueries.INSTALLS_BY_VERSION, null, false),
            new View("installs by os/arch", RollupQueries.INSTALLS_BY_PLATFORM, null, false),
            new View("subcommand counts (newest)", RollupQueries.NEWEST_SUMS, "subcommand", false),
            new View("tracer selections (newest)", RollupQueries.NEWEST_SUMS, "tracer", false),
            new View("capability shares (newest)", RollupQueries.CAPABILITY_SHARES, null, false),
            new View("funnel of installs first seen", RollupQueries.FIRST_SEEN_FUNNEL, null, false),
            new View("weekly active by version", RollupQueries.WEEKLY_ACTIVE, null, false),
            new View("installs seen + steps, one version", RollupQueries.INSTALLS_AND_STEPS, null, true),
            new View("run outcomes, one version", RollupQueries.NEWEST_SUMS, "subcommand", true));

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
            c.createStatement().execute(RollupQueries.READ_WORK_MEM);
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
        try (PreparedStatement s = c.prepareStatement(prefix + v.sql)) {
            int p = 1;
            if (v.figure != null) {
                s.setString(p++, v.figure);
            }
            s.setObject(p++, from);
            s.setObject(p++, until);
            s.setString(p++, version);
            s.setString(p, version);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(List.of(String.valueOf(rs.getObject(1))));
                }
            }
            return rows;
        }
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }
}
