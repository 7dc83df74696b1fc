package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#the-figures, network faults: whatever the endpoint does, the foreground does not wait for it, every
 * event is kept, and an uploader run ends within its bound (with a server that never answers: at
 * the first 5 s request deadline, not 5 s per event).
 */
@ExtendWith(AwaitUploaders.class)
class NetworkFaultsIT {
    static final int PLANTED = 10;
    /**
     * The foreground never waits for the network: against a server that never answers it must not take a whole
     * request deadline (5 s) longer than --status. Generous, because JVM starts on a loaded 2-core machine vary.
     */
    static final Duration FOREGROUND_SLACK = Duration.ofSeconds(5);
    /** Every --flush ends within the 30 s run bound (plus a JVM start on a loaded 2-core machine). */
    static final Duration FLUSH_BOUND = Duration.ofSeconds(40);

    @TempDir Path root;

    record Fault(String name, Collector.Behaviour behaviour, String endpoint, int expectedRequests) {}

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void noEndpointFaultSlowsTheForegroundLosesAnEventOrKeepsAnUploaderBeyondItsBound() throws Exception {
        int events = PLANTED + 3; // the planted ones and the first run's three milestones
        int refusedPort;
        try (ServerSocket closed = new ServerSocket()) {
            closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            refusedPort = closed.getLocalPort();
        }
        List<Fault> faults = List.of(
                new Fault("connection refused", null, "http://127.0.0.1:" + refusedPort + "/t", 0),
                new Fault("unresolvable host", null, "http://roar-collector.invalid/t", 0),
                new Fault("server accepts and never answers", Collector.Behaviour.HANG, null, 1),
                new Fault("server answers 1 byte per second", Collector.Behaviour.TRICKLE, null, 1),
                new Fault("HTTP 500", Collector.Behaviour.SERVER_ERROR_500, null, events),
                new Fault("HTTP 429 (Retry-After: 60)", Collector.Behaviour.TOO_MANY_429, null, events),
                new Fault("HTTP 301 to another host", Collector.Behaviour.REDIRECT_301, null, events),
                new Fault("HTTP 200 (not 204)", Collector.Behaviour.OK_200, null, events),
                new Fault("server closes the connection", Collector.Behaviour.CLOSE, null, 1));

        List<Callable<Void>> tasks = new ArrayList<>();
        for (Fault fault : faults) {
            tasks.add(() -> {
                try (Collector collector = new Collector(fault.behaviour() == null ? Collector.Behaviour.NO_CONTENT : fault.behaviour())) {
                    check(fault, collector, events);
                }
                return null;
            });
        }
        Faults.parallel(2, tasks);
    }

    private void check(Fault fault, Collector collector, int events) throws Exception {
        String endpoint = fault.endpoint() != null ? fault.endpoint() : collector.url("/t");
        RoarProcess roar = Faults.install(root.resolve(fault.name().replaceAll("[^A-Za-z0-9]+", "-")), endpoint);
        Faults.plantGoodEvents(roar, PLANTED, Instant.now().minusSeconds(3600));

        // 1. the foreground: roar run queues 3 events and starts the background uploader, which meets the fault
        RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        Instant runStart = Instant.now();
        RoarProcess.Result run = Faults.run(roar, "run", "--", "true");
        RoarProcess.Result statusAfter = Faults.run(roar, "telemetry", "--status");
        Duration reference = status.wall().compareTo(statusAfter.wall()) > 0 ? status.wall() : statusAfter.wall();
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("", run.stdout() + run.stderr());
        Faults.assertNoStackTrace(run, fault.name());
        Map<String, byte[]> queued = Faults.queued(roar);
        assertEquals(events, queued.size(), "queued");

        // 2. the background uploader the run started ends within its bound (it writes last-attempt when done)
        Path lastAttempt = roar.cache().resolve("last-attempt");
        boolean ended = RoarProcess.await(FLUSH_BOUND, () -> Files.exists(lastAttempt));
        assertTrue(ended, fault.name() + ": the background uploader did not finish within " + FLUSH_BOUND);
        Duration background = Duration.between(runStart, Files.getLastModifiedTime(lastAttempt).toInstant());
        // it releases .lock right after writing last-attempt; --flush must not find it still held
        try (FileLocks.Held free = FileLocks.acquire(roar.cache().resolve(".lock"), Duration.ofSeconds(20)).orElseThrow()) {
            assertTrue(free.lock().isValid());
        }
        int afterBackground = collector.requests().size();

        // 3. --flush: the same fault in the foreground, because the user asked
        RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
        int flushRequests = collector.requests().size() - afterBackground;
        assertEquals(0, flush.exitCode(), "exit 0 even when the endpoint is down: " + flush.stderr());
        Faults.assertNoStackTrace(flush, fault.name() + " --flush");
        assertEquals("", flush.stderr(), fault.name() + " --flush: nothing on stderr");

        // 4. every event kept, byte for byte
        Map<String, byte[]> after = Faults.queued(roar);
        int lost = 0;
        for (Map.Entry<String, byte[]> e : queued.entrySet()) {
            byte[] still = after.get(e.getKey());
            if (still == null) {
                lost++;
            } else {
                assertArrayEquals(e.getValue(), still, "kept unchanged");
            }
        }
        long leaked = Faults.leakedBytes(collector, "/t", queued);
        Results.row("network: " + fault.name(), 2,
                "roar run " + Faults.seconds(run.wall()) + " vs --status " + Faults.seconds(status.wall()) + "/"
                        + Faults.seconds(statusAfter.wall()) + " (before/after); the background uploader it started ended "
                        + Faults.seconds(background) + " after the run began; --flush "
                        + Faults.seconds(flush.wall()) + ", " + flushRequests + " request(s): \"" + flush.stdout().strip() + "\"; "
                        + after.size() + "/" + events + " kept",
                lost, leaked);

        assertEquals(0, lost, fault.name() + ": events lost");
        assertEquals(0, leaked, fault.name() + ": bytes sent that are not a queued event");
        assertTrue(run.wall().compareTo(reference.plus(FOREGROUND_SLACK)) < 0,
                fault.name() + ": the foreground waited: run " + run.wall() + " vs status " + reference);
        assertTrue(flush.wall().compareTo(FLUSH_BOUND) < 0, fault.name() + ": --flush took " + flush.wall());
        assertTrue(background.compareTo(FLUSH_BOUND.plus(run.wall())) < 0, fault.name() + ": background run took " + background);
        assertEquals(fault.expectedRequests(), flushRequests,
                fault.name() + ": a timeout or connection failure ends the run; an answer other than 204 moves on");
        if (fault.behaviour() == Collector.Behaviour.HANG || fault.behaviour() == Collector.Behaviour.TRICKLE) {
            // one 5 s deadline, not 5 s per event: the JVM start plus 5 s, well under two deadlines
            assertTrue(flush.wall().compareTo(reference.plusSeconds(9)) < 0,
                    fault.name() + ": --flush took " + flush.wall() + ", status " + reference);
        }
    }
}
