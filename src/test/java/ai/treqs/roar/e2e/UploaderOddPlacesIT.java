package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.ForwardingProxy;
import ai.treqs.roar.testing.RawCollector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Issue 12, items 7-12: the uploader in odd places (a clock set back, a --flush during a background run,
 * odd proxy variables, odd collector answers, a saturated CPU) and what a run says about itself. Each test
 * fails on the code before the fix.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UploaderOddPlacesIT {
    private static final String SECRET = "pa55word";

    @TempDir Path root;

    private RoarProcess threeQueued(String name, String endpoint) throws Exception {
        RoarProcess roar = E2e.install(root.resolve(name)).env(E2e.ENDPOINT_VARIABLE, endpoint);
        QueueSeeds.queueThreeByInit(roar);
        return roar;
    }

    private static RoarProcess.Result flush(RoarProcess roar) throws Exception {
        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        return flush;
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

    // 12.9 -------------------------------------------------------------------------------------------

    @Test
    void aMalformedProxyVariableSendsNothingDirectlyAndStatusWarns() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = threeQueued("malformed", collector.url(E2e.PATH)).env("HTTP_PROXY", "http://" + SECRET + " proxy:3128");

            RoarProcess.Result status = roar.run("telemetry", "--status");
            assertTrue(status.stdout().contains("\nProxy: (invalid) (HTTP_PROXY) not usable: HTTP_PROXY is not a valid proxy URL;"
                    + " nothing is sent while it is set\n"), status.stdout());
            Map<String, Object> json = E2e.json(roar.run("telemetry", "--status", "--json").stdout());
            Map<String, Object> proxy = E2e.map(json, "proxy");
            assertEquals("HTTP_PROXY", proxy.get("variable"));
            assertEquals(false, proxy.get("usable"));

            RoarProcess.Result flush = flush(roar);
            assertEquals("Uploaded 0, kept 3 (stopped: endpoint unreachable: proxy not usable: HTTP_PROXY is not a valid proxy URL)",
                    flush.stdout().strip());
            assertEquals(List.of(), collector.requests(), "nothing went around the proxy");
            assertEquals(3, E2e.queuedCount(roar));
            assertEquals(true, E2e.json(Files.readAllBytes(E2e.lastAttempt(roar))).get("failed"));
            for (RoarProcess.Result r : List.of(status, flush)) {
                assertFalse(r.stdout().contains(SECRET) || r.stderr().contains(SECRET), r.toString());
            }
        }
    }

    @Test
    void aSocksOrHttpsProxyIsRefusedNothingIsSentAndThePasswordNeverShows() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT);
             ServerSocket socks = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            for (String scheme : List.of("socks5", "https")) {
                RoarProcess roar = threeQueued(scheme, collector.url(E2e.PATH))
                        .env("http_proxy", scheme + "://user:" + SECRET + "@127.0.0.1:" + socks.getLocalPort());

                RoarProcess.Result status = roar.run("telemetry", "--status");
                assertTrue(status.stdout().contains("\nProxy: " + scheme + "://127.0.0.1:" + socks.getLocalPort()
                        + " (http_proxy) not usable: http_proxy names a " + scheme + " proxy, which roar does not support;"
                        + " nothing is sent while it is set\n"), status.stdout());
                RoarProcess.Result flush = flush(roar);
                assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3 (stopped: endpoint unreachable: proxy not usable: "
                        + "http_proxy names a " + scheme + " proxy"), flush.stdout());
                assertEquals(List.of(), collector.requests());
                for (RoarProcess.Result r : List.of(status, flush)) {
                    assertFalse(r.stdout().contains(SECRET) || r.stderr().contains(SECRET), r.toString());
                }
                assertEquals(List.of(), QueueSeeds.filesContaining(roar.root(), SECRET));
            }
            socks.setSoTimeout(200);
            assertThrowsTimeout(socks);
        }
    }

    private static void assertThrowsTimeout(ServerSocket server) throws IOException {
        try (Socket s = server.accept()) {
            throw new AssertionError("something connected to the refused proxy: " + s);
        } catch (SocketTimeoutException expected) {
            // nobody came
        }
    }

    @Test
    void noProxyIpEntriesMatchWholeAddressesNotSuffixes() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT);
             ForwardingProxy proxy = new ForwardingProxy().route("127.0.0.1",
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), collector.port()))) {
            RoarProcess roar = threeQueued("suffix", collector.url(E2e.PATH))
                    .env("HTTP_PROXY", "http://127.0.0.1:" + proxy.port())
                    .env("no_proxy", "0.0.1,.0.0.1,localhost");

            assertTrue(roar.run("telemetry", "--status").stdout().contains("\nProxy: http://127.0.0.1:" + proxy.port() + " (HTTP_PROXY)\n"));
            RoarProcess.Result flush = flush(roar);
            assertEquals("Uploaded 3, kept 0", flush.stdout().strip());
            assertEquals(3, proxy.seen().size(), "every request went through the proxy");

            RoarProcess cidr = threeQueued("cidr", collector.url(E2e.PATH))
                    .env("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()).env("no_proxy", "127.0.0.0/8");
            assertFalse(cidr.run("telemetry", "--status").stdout().contains("Proxy:"));
            assertEquals("Uploaded 3, kept 0", flush(cidr).stdout().strip());
            assertEquals(3, proxy.seen().size(), "a CIDR block that holds the address goes direct");
        }
    }

    @Test
    void aProxysRefusal407ToAPlainHttpRequestEndsTheRun() throws Exception {
        try (Collector proxy = new Collector(Collector.Behaviour.PROXY_AUTH_407)) {
            RoarProcess roar = threeQueued("407", "http://collector.invalid" + E2e.PATH)
                    .env("HTTP_PROXY", "http://user:" + SECRET + "@127.0.0.1:" + proxy.port());
            RoarProcess.Result flush = flush(roar);
            assertEquals("Uploaded 0, kept 3 (stopped: endpoint unreachable: proxy refused: authentication required (HTTP 407))",
                    flush.stdout().strip());
            assertEquals(1, proxy.requests().size(), "a refusal ends the run: " + proxy.requests().size() + " requests");
            assertEquals(true, E2e.json(Files.readAllBytes(E2e.lastAttempt(roar))).get("failed"));
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
            java.util.concurrent.atomic.AtomicBoolean spin = new java.util.concurrent.atomic.AtomicBoolean(true);
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
    void aProxyThatHangsIsCalledSo() throws Exception {
        try (Collector proxy = new Collector(Collector.Behaviour.HANG)) {
            for (String endpoint : List.of("http://collector.invalid" + E2e.PATH, "https://collector.invalid" + E2e.PATH)) {
                String variable = endpoint.startsWith("https") ? "HTTPS_PROXY" : "HTTP_PROXY";
                RoarProcess roar = threeQueued("hang-" + variable, endpoint).env(variable, "http://127.0.0.1:" + proxy.port());
                RoarProcess.Result flush = flush(roar);
                assertEquals("Uploaded 0, kept 3 (stopped: endpoint unreachable: proxy timed out)", flush.stdout().strip(), variable);
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
