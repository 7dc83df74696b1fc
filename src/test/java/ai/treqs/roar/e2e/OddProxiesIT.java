package ai.treqs.roar.e2e;

import static ai.treqs.roar.e2e.QueueSeeds.flush;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.ForwardingProxy;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#odd-places-the-uploader, odd proxy variables and a proxy that hangs: odd proxy variables send nothing directly and never
 * show a password; {@code no_proxy} matches whole addresses; a proxy's refusal or silence ends the run in
 * words. Each test fails on the code before the fix.
 */
@ExtendWith(AwaitUploaders.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OddProxiesIT {
    private static final String SECRET = "pa55word";

    @TempDir Path root;

    private RoarProcess threeQueued(String name, String endpoint) throws Exception {
        return QueueSeeds.threeQueued(root.resolve(name), endpoint);
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
}
