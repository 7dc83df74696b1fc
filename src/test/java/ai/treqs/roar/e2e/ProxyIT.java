package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.ForwardingProxy;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/proxies-and-ledger.md#behind-an-http-proxy: the collector's host does not resolve ({@code .invalid}, RFC 2606), so an event
 * can only arrive through the forwarding proxy, which maps that name to the loopback collector.
 */
@ExtendWith(AwaitUploaders.class)
class ProxyIT {
    private static final String PATH = "/api/v1/telemetry/roar";
    private static final String SECRET = "pa55word";

    @TempDir Path root;
    private Collector collector;
    private ForwardingProxy proxy;
    private RoarProcess roar;
    private String endpoint;

    @BeforeEach
    void collectorBehindAProxy() throws Exception {
        collector = new Collector(Collector.Behaviour.NO_CONTENT);
        proxy = new ForwardingProxy().route("collector.invalid",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), collector.port()));
        endpoint = "http://collector.invalid:" + collector.port() + PATH;
        roar = new RoarProcess(root)
                .env("ROAR_TELEMETRY_ENDPOINT", endpoint)
                .env("HTTP_PROXY", "http://user:" + SECRET + "@127.0.0.1:" + proxy.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        collector.close();
    }

    @Test
    void theBackgroundUploaderDeliversThroughHttpProxyWithBasicProxyAuthentication() throws Exception {
        RoarProcess.Result init = roar.run("init");
        assertEquals(0, init.exitCode(), init.stderr());

        assertTrue(RoarProcess.await(Duration.ofSeconds(30), () -> collector.requests().size() == 3),
                "the detached uploader delivered the 3 events of init through the proxy: " + collector.requests());
        assertTrue(RoarProcess.await(Duration.ofSeconds(10), () -> QueueSeeds.queued(roar).isEmpty()));
        List<ForwardingProxy.Seen> seen = proxy.seen();
        assertEquals(3, seen.size());
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(("user:" + SECRET).getBytes(StandardCharsets.UTF_8));
        for (ForwardingProxy.Seen request : seen) {
            assertEquals("POST", request.method());
            assertEquals(endpoint, request.target(), "absolute-form request line, as HTTP proxies need");
            assertEquals(expectedAuth, request.header("Proxy-Authorization"));
        }
        for (Collector.Request request : collector.requests()) {
            assertEquals(PATH, request.path());
            assertEquals(null, request.header("Proxy-Authorization"), "the proxy's credentials stop at the proxy");
        }
        assertNoSecretAnywhere();
    }

    @Test
    void flushStatusAndHistoryNeverShowTheProxyPassword() throws Exception {
        QueueSeeds.queueThreeByInit(roar);

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("\nProxy: http://127.0.0.1:" + proxy.port() + " (HTTP_PROXY)\n"), status.stdout());
        RoarProcess.Result json = roar.run("telemetry", "--status", "--json");
        assertTrue(json.stdout().contains("\"proxy\":{\"problem\":null,\"url\":\"http://127.0.0.1:" + proxy.port()
                + "\",\"usable\":true,\"variable\":\"HTTP_PROXY\"}"), "the variable, as the text form gives it: " + json.stdout());

        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        assertTrue(flush.stdout().startsWith("Uploaded "), flush.stdout());
        int uploaded = uploaded(flush);
        if (uploaded < 3) { // a loaded machine: the first POST hit the 5 s deadline
            uploaded += QueueSeeds.flushUntilDelivered(roar).uploaded();
        }
        assertEquals(3, uploaded, flush.stdout());
        assertEquals(3, QueueSeeds.distinctEventIds(collector.requests()).size());
        assertEquals(collector.requests().size(), proxy.seen().size(), "every request went through the proxy");

        RoarProcess.Result history = roar.run("telemetry", "--history");
        RoarProcess.Result historyJson = roar.run("telemetry", "--history", "--json");
        assertEquals(3, historyJson.stdout().lines().count(), historyJson.stdout());
        for (RoarProcess.Result result : List.of(status, json, flush, history, historyJson)) {
            assertFalse(result.stdout().contains(SECRET) || result.stderr().contains(SECRET),
                    "output shows the proxy password: " + result);
            assertFalse(result.stdout().contains("user:") || result.stderr().contains("user@"), result.toString());
        }
        assertNoSecretAnywhere();
    }

    @Test
    void aHostInNoProxyIsNotSentThroughTheProxyAndStaysQueued() throws Exception {
        roar.env("NO_PROXY", "localhost,collector.invalid");
        QueueSeeds.queueThreeByInit(roar);

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertFalse(status.stdout().contains("Proxy:"), status.stdout());

        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), "--flush exits 0 when the endpoint is unreachable: " + flush.stderr());
        assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3 (stopped: endpoint unreachable"), flush.stdout());
        assertEquals(List.of(), proxy.seen());
        assertEquals(List.of(), collector.requests());
        assertEquals(3, QueueSeeds.queued(roar).size());
    }

    @Test
    void aProxyThatRefusesConnectionsIsAConnectionFailureAndKeepsEverything() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        roar.env("HTTP_PROXY", "http://user:" + SECRET + "@127.0.0.1:" + closedPort);
        QueueSeeds.queueThreeByInit(roar);

        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3 (stopped: endpoint unreachable"), flush.stdout());
        assertFalse(flush.stdout().contains(SECRET) || flush.stderr().contains(SECRET), flush.toString());
        assertEquals(3, QueueSeeds.queued(roar).size());
        assertNoSecretAnywhere();
    }

    @Test
    void httpsEndpointsTunnelThroughHttpsProxyAndAuthenticateTheConnect() throws Exception {
        roar.env("ROAR_TELEMETRY_ENDPOINT", "https://collector.invalid" + PATH)
                .env("HTTPS_PROXY", "http://user:" + SECRET + "@127.0.0.1:" + proxy.port());
        QueueSeeds.queueThreeByInit(roar);

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertTrue(status.stdout().contains("\nProxy: http://127.0.0.1:" + proxy.port() + " (HTTPS_PROXY)\n"), status.stdout());
        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());

        // this proxy does not tunnel (501): what matters is that the CONNECT went to it, authenticated
        // (several POSTs are in flight at once, so there may be a CONNECT for each)
        List<ForwardingProxy.Seen> seen = proxy.seen();
        assertFalse(seen.isEmpty());
        for (ForwardingProxy.Seen connect : seen) {
            assertEquals("CONNECT", connect.method());
            assertEquals("collector.invalid:443", connect.target());
            assertEquals("Basic " + Base64.getEncoder().encodeToString(("user:" + SECRET).getBytes(StandardCharsets.UTF_8)),
                    connect.header("Proxy-Authorization"));
        }
        assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3 (stopped: endpoint unreachable"), flush.stdout());
        assertNoSecretAnywhere();
    }

    private static int uploaded(RoarProcess.Result flush) {
        return Integer.parseInt(flush.stdout().replaceFirst("(?s)^Uploaded (\\d+),.*", "$1"));
    }

    private void assertNoSecretAnywhere() throws Exception {
        assertEquals(List.of(), QueueSeeds.filesContaining(root, SECRET), "files under the temp root holding the password");
    }
}
