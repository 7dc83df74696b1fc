package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.RawCollector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/performance.md#uploader-against-both-server-kinds: the uploader is polite to the one server every install shares. 1,000 queued
 * events go to a server that closes after every answer (HTTP/1.0, one request at a time, listen backlog 5,
 * like Python's {@code http.server}) and to a keep-alive server: every event arrives exactly once, within
 * the 30 s run bound, over at most 2 connections open at once. The events/s are printed, not asserted (a
 * shared machine); docs/performance.md has them beside the Python original's.
 */
@ExtendWith(AwaitUploaders.class)
class PoliteUploaderIT {
    private static final int EVENTS = 1000;
    /** The run bound, plus a JVM start on a loaded 2-core machine. */
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(60);

    @TempDir Path root;

    @Test
    void aServerThatClosesEveryConnectionWithBacklog5GetsEveryEventOnceOverAtMostTwoConnections() throws Exception {
        drain(RawCollector.Kind.HTTP10_CLOSE, 5);
    }

    @Test
    void aKeepAliveServerGetsEveryEventOnceOverAtMostTwoConnections() throws Exception {
        drain(RawCollector.Kind.KEEP_ALIVE, 50);
    }

    private void drain(RawCollector.Kind kind, int backlog) throws Exception {
        RoarProcess roar = E2e.install(root);
        roar.env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
        List<String> ids = QueueSeeds.fillQueue(roar, EVENTS);
        try (RawCollector server = new RawCollector(kind, backlog)) {
            roar.env(E2e.ENDPOINT_VARIABLE, server.url(E2e.PATH));
            RoarProcess.Result flush = roar.run("telemetry", "--flush");

            assertEquals(0, flush.exitCode(), flush.stderr());
            assertEquals("", flush.stderr());
            assertEquals("Uploaded " + EVENTS + ", kept 0", flush.stdout().strip(), "not reaching the run bound");
            assertTrue(flush.wall().compareTo(FLUSH_BOUND) < 0, "--flush took " + flush.wall());
            List<String> received = server.eventIds();
            assertEquals(EVENTS, received.size(), "requests: each event sent once");
            assertEquals(new HashSet<>(ids), new HashSet<>(received), "every queued event, none other");
            assertEquals(List.of(), E2e.queueEntries(roar));
            assertTrue(server.maxOpen() <= 2, "connections open at once: " + server.maxOpen() + " (" + server.busiestSample() + ")");

            List<Long> at = server.arrivals();
            double seconds = (at.get(at.size() - 1) - at.get(0)) / 1e9;
            System.out.printf("%n=== uploader, %,d events to a %s server (backlog %d): %,.0f events/s first to last POST "
                    + "(%.2f s), %d connection(s), at most %d open at once (%s), --flush %d ms ===%n",
                    EVENTS, kind, backlog, (EVENTS - 1) / seconds, seconds, server.connections(), server.maxOpen(),
                    RawCollector.canSeeClientSockets() ? "kernel socket table" : "accepted", flush.wall().toMillis());
        }
    }
}
