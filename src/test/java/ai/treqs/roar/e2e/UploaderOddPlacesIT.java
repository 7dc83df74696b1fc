package ai.treqs.roar.e2e;

import static ai.treqs.roar.e2e.QueueSeeds.flush;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RawCollector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#odd-places-the-uploader: the uploader in odd places (a clock set back, a --flush during a background
 * run, odd collector answers, a saturated CPU, a connect timeout, the run bound) and what a run says about
 * itself. Odd proxy variables and proxies (item 9): {@link OddProxiesIT}. Each test fails on the code
 * before the fix.
 */
@ExtendWith(AwaitUploaders.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UploaderOddPlacesIT {

    @TempDir Path root;

    private RoarProcess threeQueued(String name, String endpoint) throws Exception {
        return QueueSeeds.threeQueued(root.resolve(name), endpoint);
    }

    // 12.7 -------------------------------------------------------------------------------------------

    @Test
    void aFailedAttemptDatedInTheFutureDoesNotHoldBackgroundUploadsBack() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            Files.createDirectories(roar.cache());
            String future = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            Files.writeString(E2e.lastAttempt(roar), "{\"at\":\"" + future + "\",\"failed\":true,\"outcome\":\"timeout\"}\n");

            RoarProcess.Result init = roar.run("init", "--no-gitignore");
            assertEquals(0, init.exitCode(), init.stderr());

            E2e.await(Duration.ofSeconds(60), () -> collector.requests().size() == 3,
                    "the background uploader started by init delivered its 3 events");
            E2e.await(Duration.ofSeconds(10), () -> E2e.queuedCount(roar) == 0, "the queue drained");
        }
    }

    // 12.8 -------------------------------------------------------------------------------------------

    @Test
    void flushWaitsForTheUploadAlreadyRunningThenSendsWhatIsLeft() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = threeQueued("wait", collector.url(E2e.PATH));
            // an 8-day-old event: --flush's retention removes it just before it takes the uploader lock,
            // which tells this test that the flush has reached the lock, however slowly its JVM started
            Path marker = Files.copy(QueueSeeds.queued(roar).get(0), roar.queue().resolve("aged-marker.json"));
            Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.from(Instant.now().minus(8, ChronoUnit.DAYS)));
            RoarProcess.Result flush;
            // the uploader lock, held as a running background upload holds it
            try (FileLocks.Held running = FileLocks.acquire(roar.cache().resolve(".lock"), Duration.ZERO).orElseThrow()) {
                CompletableFuture<RoarProcess.Result> pending = CompletableFuture.supplyAsync(() -> {
                    try {
                        return roar.run("telemetry", "--flush");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                E2e.await(Duration.ofSeconds(100), () -> !Files.exists(marker), "--flush reached the uploader lock");
                Thread.sleep(2000);
                assertEquals(List.of(), collector.requests(), "nothing sent while the other upload runs");
                running.close();
                flush = pending.get(150, TimeUnit.SECONDS);
            }
            assertEquals(0, flush.exitCode(), flush.stderr());
            List<String> lines = flush.stdout().lines().toList();
            assertEquals("Uploaded 3, kept 0", lines.get(0), flush.stdout());
            assertTrue(lines.size() == 2 && lines.get(1).startsWith("An upload was already running; this one waited "),
                    "says that it waited: " + flush.stdout());
            assertEquals(3, collector.requests().size());
        }
    }

    // 12.10 ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = RawCollector.Kind.class, names = {"NO_CONTENT_WITH_BODY", "HUGE_HEADERS", "GARBAGE"})
    void oddAnswersPrintNothingButRoarsOwnLine(RawCollector.Kind kind) throws Exception {
        try (RawCollector server = new RawCollector(kind, 50)) {
            RoarProcess roar = threeQueued(kind.name(), server.url(E2e.PATH));
            RoarProcess.Result flush = flush(roar);
            assertEquals("", flush.stderr(), kind + ": stderr");
            assertEquals(1, flush.stdout().lines().count(), flush.stdout());
            assertTrue(flush.stdout().startsWith("Uploaded "), flush.stdout());
            assertFalse(flush.stdout().contains("ERROR") || flush.stdout().contains("Exception"), flush.stdout());
            assertEquals(3, E2e.queuedCount(roar) + Integer.parseInt(flush.stdout().replaceFirst("(?s)^Uploaded (\\d+),.*", "$1")),
                    "nothing lost: " + flush.stdout());
            System.out.println("odd answer " + kind + ": " + flush.stdout().strip());
        }
    }

    // 12.11 ------------------------------------------------------------------------------------------

    @Test
    void withTheCpuSaturatedAFlushToAPromptServerDelivers() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = threeQueued("loaded", collector.url(E2e.PATH));
            int busy = Runtime.getRuntime().availableProcessors() * 4;
            // busy threads of this JVM: they end with the test (or with this JVM), never outlive it
            AtomicBoolean spin = new AtomicBoolean(true);
            List<Thread> loops = new ArrayList<>();
            try {
                for (int i = 0; i < busy; i++) {
                    Thread t = new Thread(() -> {
                        long x = 0;
                        while (spin.get()) {
                            x += System.nanoTime() & 1;
                        }
                        if (x == 42) {
                            System.out.print("");
                        }
                    }, "busy-" + i);
                    t.setDaemon(true);
                    t.start();
                    loops.add(t);
                }
                Thread.sleep(1000);
                RoarProcess.Result flush = flush(roar);
                System.out.println("with " + busy + " busy loops: " + flush.stdout().strip() + " in " + flush.wall().toMillis() + " ms");
                assertEquals("Uploaded 3, kept 0", flush.stdout().strip());
                assertEquals("", flush.stderr());
            } finally {
                spin.set(false);
                for (Thread t : loops) {
                    t.join(5000);
                }
            }
        }
    }

    // 12.12 ------------------------------------------------------------------------------------------

    @Test
    void aConnectTimeoutIsCalledSoNotARefusal() throws Exception {
        // a listen queue that is full and never served: further SYNs are dropped, connects time out
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean timesOut = false;
                for (int i = 0; i < 20 && !timesOut; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 300);
                        fillers.add(s);
                    } catch (SocketTimeoutException e) {
                        timesOut = true;
                        s.close();
                    }
                }
                assertTrue(timesOut, "could not fill the listen queue");
                RoarProcess roar = threeQueued("connect-timeout", "http://127.0.0.1:" + full.getLocalPort() + E2e.PATH);
                RoarProcess.Result flush = flush(roar);
                assertEquals("Uploaded 0, kept 3 (stopped: endpoint unreachable: connect timeout)", flush.stdout().strip());
                assertEquals("endpoint unreachable: connect timeout",
                        E2e.json(Files.readAllBytes(E2e.lastAttempt(roar))).get("outcome"));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aRunThatDeliversAndReachesTheRunBoundIsNotAFailure() throws Exception {
        try (RawCollector slow = new RawCollector(RawCollector.Kind.KEEP_ALIVE, 50).delay(200)) {
            RoarProcess roar = E2e.install(root.resolve("bound")).env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
            QueueSeeds.fillQueue(roar, 600); // 2 connections, 0.2 s an answer: about 300 in 30 s
            roar.env(E2e.ENDPOINT_VARIABLE, slow.url(E2e.PATH));
            RoarProcess.Result flush = flush(roar);

            assertTrue(flush.stdout().strip().matches("Uploaded \\d+, kept \\d+ \\(stopped: reached the 30 s run bound\\)"),
                    flush.stdout());
            int uploaded = Integer.parseInt(flush.stdout().replaceFirst("(?s)^Uploaded (\\d+),.*", "$1"));
            assertTrue(uploaded > 0 && uploaded < 600, flush.stdout());
            assertEquals(600, uploaded + E2e.queuedCount(roar), "nothing lost");
            Map<String, Object> last = E2e.json(Files.readAllBytes(E2e.lastAttempt(roar)));
            assertEquals(false, last.get("failed"), "a run that delivered and stopped at the bound did not fail: " + last);
            assertEquals("reached the 30 s run bound", last.get("outcome"));
        }
    }
}
