package ai.treqs.roar.collector.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import ai.treqs.roar.collector.CollectorConfig;

/**
 * Group commit: requests queue their event; a few writer threads each take what is waiting (up to
 * {@code max-batch}), insert it in one statement and one transaction, and only then complete every request of
 * the batch. One commit (one WAL flush) is shared by hundreds of events, which is what makes thousands of
 * durable events per second possible on a small machine.
 */
@Startup
@ApplicationScoped
public class EventWriter {
    /**
     * One round trip per batch. event_ids' primary key decides duplicates, here and across instances and months
     * (events is partitioned by the month received, so its own key includes received_at); only the new events
     * are stored, and the rollup trigger on events updates the rollups in this same transaction.
     */
    static final String INSERT = """
            WITH b AS (
              SELECT * FROM unnest(?::text[], ?::uuid[], ?::text[], ?::timestamptz[], ?::bigint[], ?::text[], ?::text[],
                                   ?::text[], ?::timestamptz[], ?::text[]) AS b(e, i, t, ts, s, v, o, a, r, p)),
            fresh AS (
              INSERT INTO event_ids (event_id, received_at) SELECT e, r FROM b
              ON CONFLICT (event_id) DO NOTHING
              RETURNING event_id)
            INSERT INTO events (event_id, install_id, trigger, trigger_ts, sequence, version, os, arch, received_at, payload)
            SELECT e, i, t, ts, s, v, o, a, r, p::jsonb FROM b JOIN fresh ON fresh.event_id = b.e
            RETURNING event_id""";

    /** This transaction's writer stripe for the rollup trigger (docs/collector.md#rollups), followed by the slot. */
    static final String WRITER_STRIPE = "SET LOCAL roar.writer = ";

    /**
     * Why an event was not confirmed: the database failed, the collector is saturated or the wait ran out. Not
     * confirmed is not "not stored": a batch whose answer came too late may still commit, and sending the event
     * again is safe (the primary key stores it once).
     */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    private record Pending(Event event, CompletableFuture<Boolean> done) {}

    private static final FailureLog LOG = new FailureLog(EventWriter.class);

    @Inject AgroalDataSource dataSource;
    @Inject CollectorConfig config;
    @Inject MeterRegistry registry;

    private BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;
    private Counter stored;
    private Counter duplicates;
    private Counter failed;
    private DistributionSummary batchSizes;

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(config.queueCapacity());
        stored = registry.counter("roar_collector_events", "outcome", "stored");
        duplicates = registry.counter("roar_collector_events", "outcome", "duplicate");
        failed = registry.counter("roar_collector_events", "outcome", "unavailable");
        batchSizes = DistributionSummary.builder("roar_collector_batch_size").register(registry);
        registry.gauge("roar_collector_queue_depth", queue, BlockingQueue::size);
        for (int i = 0; i < config.writerThreads(); i++) {
            int slot = i;
            Thread t = new Thread(() -> loop(slot), "roar-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : writers) {
            t.join(5_000);
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(new Unavailable("shutting down"));
        }
    }

    /** Completes with {@code true} (stored now) or {@code false} (stored before) once committed, else with Unavailable. */
    public CompletionStage<Boolean> store(Event event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            failed.increment();
            if (running) {
                LOG.failed("an event was answered 503: the queue is full (" + config.queueCapacity()
                        + " events wait for a writer); the database is slow or the writers too few");
            }
            return CompletableFuture.failedFuture(new Unavailable(running ? "saturated" : "shutting down"));
        }
        long timeout = config.requestTimeout().toMillis();
        // the wait counts from the request's arrival: time spent parsing and validating is part of the client's deadline
        long left = Math.max(0, timeout - Duration.between(event.receivedAt(), Instant.now()).toMillis());
        return pending.done.completeOnTimeout(null, left, TimeUnit.MILLISECONDS).thenApply(isNew -> {
            if (isNew == null) {
                failed.increment();
                LOG.failed("an event was answered 503: its commit was not confirmed within " + timeout
                        + " ms (roar.collector.request-timeout); the database is slow or locked");
                throw new Unavailable("timed out waiting for the database");
            }
            return isNew;
        });
    }

    private void loop(int slot) {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (running) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.maxBatch() - 1);
                write(batch, slot);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.defect("storing " + batch.size() + " events failed unexpectedly; each was answered 503", e);
                fail(batch);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Stores one batch in one transaction. {@code slot} is this writer thread's: the rollup trigger updates the rows
     * of that writer stripe (roar.writer), so two writers never wait on each other's rows of today until a commit.
     */
    private void write(List<Pending> batch, int slot) {
        // one row per event id, in key order: two writers inserting overlapping ids take their locks in one order
        Map<String, Event> rows = new LinkedHashMap<>();
        batch.stream().map(Pending::event).sorted(Comparator.comparing(Event::eventId))
                .forEach(e -> rows.putIfAbsent(e.eventId(), e));
        Set<String> inserted = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement stripe = connection.createStatement();
                 PreparedStatement insert = connection.prepareStatement(INSERT)) {
                stripe.execute(WRITER_STRIPE + slot);
                // a statement waiting on a lock past the request timeout gives up: what it answered 503 is not stored later
                insert.setQueryTimeout(queryTimeoutSeconds());
                List<Event> events = new ArrayList<>(rows.values());
                int n = events.size();
                String[][] columns = new String[10][n];
                for (int i = 0; i < n; i++) {
                    Event e = events.get(i);
                    columns[0][i] = e.eventId();
                    columns[1][i] = e.installId().toString();
                    columns[2][i] = e.trigger();
                    columns[3][i] = e.triggerTs().toString();
                    columns[4][i] = Long.toString(e.sequence());
                    columns[5][i] = e.version();
                    columns[6][i] = e.os();
                    columns[7][i] = e.arch();
                    columns[8][i] = e.receivedAt().toString();
                    columns[9][i] = e.payload();
                }
                for (int c = 0; c < columns.length; c++) {
                    Array array = connection.createArrayOf("text", columns[c]);
                    insert.setArray(c + 1, array);
                }
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getString(1));
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            // connections are replaced as they come back: a session that kept an old setting (read-only) goes too
            dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
            LOG.failed("storing events failed; each was answered 503", e);
            fail(batch);
            return;
        }
        LOG.recovered("storing events works again");
        batchSizes.record(batch.size());
        for (Pending p : batch) {
            // the first request of an id in this batch that inserted it is "new"; every other one a duplicate
            boolean isNew = inserted.remove(p.event().eventId());
            (isNew ? stored : duplicates).increment();
            p.done.complete(isNew);
        }
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, (config.requestTimeout().toMillis() + 999) / 1000);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool validates and replaces it
        }
    }

    private void fail(List<Pending> batch) {
        for (Pending p : batch) {
            if (p.done.completeExceptionally(new Unavailable("database unavailable"))) {
                failed.increment(); // not counted twice for a request already answered at its timeout
            }
        }
    }
}
