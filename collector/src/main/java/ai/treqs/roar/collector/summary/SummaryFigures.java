package ai.treqs.roar.collector.summary;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.collector.CollectorConfig;
import ai.treqs.roar.collector.summary.Summary.Capability;
import ai.treqs.roar.collector.summary.Summary.Funnel;
import ai.treqs.roar.collector.summary.Summary.Keyed;
import ai.treqs.roar.collector.summary.Summary.Platform;
import ai.treqs.roar.collector.summary.Summary.Step;
import ai.treqs.roar.collector.summary.Summary.Weekly;

/**
 * The one place each figure is computed, for the summary JSON and for the dashboard alike: each runs its query of
 * {@link SummaryQueries} (over the rollups) and applies the small-group rule ({@code roar.collector.min-installs},
 * k). A summary's queries are independent: half of them (the sketch unions) run on a second connection at the same
 * time as the others, so a reading takes the longer half, not the sum (each query was already its own snapshot).
 * At most {@link #LANES} such second connections at once, whatever the readers. Every read connection sets
 * READ_WORK_MEM (so it may stay set).
 */
@ApplicationScoped
public class SummaryFigures {
    /** The second lanes of concurrent summaries: connections a reading takes beside the request's own. */
    static final int LANES = 2;

    @Inject DataSource dataSource;
    @Inject CollectorConfig config;

    private final ExecutorService lanes = Executors.newFixedThreadPool(LANES, task -> {
        Thread t = new Thread(task, "roar-summary-lane");
        t.setDaemon(true);
        return t;
    });

    /** The figures the second lane reads. */
    private record SecondLane(Figure installsSeen, List<Keyed> eventsByTrigger, Funnel funnel, List<Weekly> weekly) {}

    @PreDestroy
    void stop() {
        lanes.shutdownNow();
    }

    public int k() {
        return config.minInstalls();
    }

    public Summary summary(Window w) throws SQLException {
        Future<SecondLane> second = lanes.submit(() -> {
            try (Connection c = read()) {
                return new SecondLane(installsSeen(c, w), eventsByTrigger(c, w), funnel(c, w), weeklyActive(c, w));
            }
        });
        try (Connection c = read()) {
            List<Keyed> byVersion = installsByVersion(c, w);
            List<Platform> byPlatform = installsByPlatform(c, w);
            List<Keyed> subcommands = counters(c, SummaryQueries.SUBCOMMAND_COUNTS, w);
            List<Keyed> tracers = counters(c, SummaryQueries.TRACER_SELECTIONS, w);
            List<Capability> capabilities = capabilities(c, w);
            SecondLane other = join(second);
            return new Summary(w, k(), other.installsSeen(), other.eventsByTrigger(), other.funnel(), byVersion,
                    byPlatform, other.weekly(), subcommands, tracers, capabilities);
        } finally {
            second.cancel(false); // not started yet (this lane failed first): not needed any more
        }
    }

    /** The second lane's figures, or its failure as this reading's. */
    private static SecondLane join(Future<SecondLane> second) throws SQLException {
        try {
            return second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading the summary", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new SQLException(e.getCause());
        }
    }

    /** The versions seen in the window (all versions; rare ones folded into {@code other}): the page's choices. */
    public List<Keyed> versions(Window w) throws SQLException {
        try (Connection c = read()) {
            return installsByVersion(c, w.allVersions());
        }
    }

    private Connection read() throws SQLException {
        Connection c = dataSource.getConnection();
        try (var s = c.createStatement()) {
            c.setReadOnly(true);
            s.execute(SummaryQueries.READ_WORK_MEM);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private Figure installsSeen(Connection c, Window w) throws SQLException {
        return Figure.installs(number(rows(c, SummaryQueries.INSTALLS_SEEN, w).get(0).get(0)), k());
    }

    private List<Keyed> eventsByTrigger(Connection c, Window w) throws SQLException {
        List<Keyed> out = new ArrayList<>();
        for (List<Object> row : rows(c, SummaryQueries.EVENTS_BY_TRIGGER, w)) {
            out.add(new Keyed((String) row.get(0), Figure.sum((Number) row.get(1), number(row.get(2)), k())));
        }
        return out;
    }

    private Funnel funnel(Connection c, Window w) throws SQLException {
        Map<String, Long> reached = new LinkedHashMap<>();
        for (List<Object> row : rows(c, SummaryQueries.FUNNEL_STEPS, w)) {
            reached.put((String) row.get(0), number(row.get(1)));
        }
        long cohort = reached.getOrDefault(SummaryQueries.FUNNEL.get(0), 0L);
        List<Step> steps = new ArrayList<>();
        String mostStopBefore = null;
        long biggestDrop = 0;
        long previous = cohort;
        for (String step : SummaryQueries.FUNNEL) {
            long installs = reached.getOrDefault(step, 0L);
            steps.add(new Step(step, Figure.installs(installs, k()), Figure.share(installs, cohort, k())));
            if (previous - installs > biggestDrop) {
                biggestDrop = previous - installs;
                mostStopBefore = step;
            }
            previous = installs;
        }
        boolean shown = cohort > 0 && Figure.visible(cohort, k());
        return new Funnel(steps, shown ? Optional.ofNullable(mostStopBefore) : Optional.empty());
    }

    private List<Keyed> installsByVersion(Connection c, Window w) throws SQLException {
        List<Keyed> out = new ArrayList<>();
        for (List<Object> row : rows(c, SummaryQueries.INSTALLS_BY_VERSION, w)) {
            out.add(new Keyed((String) row.get(0), Figure.installs(number(row.get(1)), k())));
        }
        return out;
    }

    private List<Platform> installsByPlatform(Connection c, Window w) throws SQLException {
        List<Platform> out = new ArrayList<>();
        for (List<Object> row : rows(c, SummaryQueries.INSTALLS_BY_PLATFORM, w)) {
            out.add(new Platform((String) row.get(0), (String) row.get(1), Figure.installs(number(row.get(2)), k())));
        }
        return out;
    }

    private List<Weekly> weeklyActive(Connection c, Window w) throws SQLException {
        List<Weekly> out = new ArrayList<>();
        for (List<Object> row : rows(c, SummaryQueries.WEEKLY_ACTIVE, w)) {
            out.add(new Weekly(((Date) row.get(0)).toLocalDate(), (String) row.get(1),
                    Figure.installs(number(row.get(2)), k())));
        }
        return out;
    }

    private List<Keyed> counters(Connection c, String sql, Window w) throws SQLException {
        List<Keyed> out = new ArrayList<>();
        for (List<Object> row : rows(c, sql, w)) {
            out.add(new Keyed((String) row.get(0), Figure.sum((BigDecimal) row.get(1), number(row.get(2)), k())));
        }
        return out;
    }

    private List<Capability> capabilities(Connection c, Window w) throws SQLException {
        List<Capability> out = new ArrayList<>();
        for (List<Object> row : rows(c, SummaryQueries.CAPABILITIES, w)) {
            long installs = number(row.get(1));
            long all = number(row.get(2));
            out.add(new Capability((String) row.get(0), Figure.installs(installs, k()), Figure.share(installs, all, k())));
        }
        return out;
    }

    private List<List<Object>> rows(Connection c, String sql, Window w) throws SQLException {
        return SummaryQueries.rows(c, sql, w, k());
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
