package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RawCollector;

class CollectorConnectionTest {
    private static final RealFailures CLIENT = new RealFailures();
    private static final OptionalInt DIRECT = OptionalInt.empty();

    @AfterAll
    static void closeClient() {
        CLIENT.close();
    }

    @Test
    void realConnectionFailuresAreNamedByTheirTypes() throws Exception {
        String refused = "http://127.0.0.1:" + RealFailures.closedPort() + "/t";
        assertEquals("connection refused", CollectorConnection.describe(CLIENT.post(refused, DIRECT), false));
        assertEquals("proxy refused the connection", CollectorConnection.describe(
                CLIENT.post("http://collector.invalid/t", OptionalInt.of(RealFailures.closedPort())), true));

        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = RealFailures.fill(full);
            try {
                int port = full.getLocalPort();
                CompletableFuture<Throwable> direct = CLIENT.start("http://127.0.0.1:" + port + "/t", DIRECT);
                CompletableFuture<Throwable> viaProxy = CLIENT.start("https://collector.invalid/t", OptionalInt.of(port));
                assertEquals("connect timeout", CollectorConnection.describe(direct.get(), false));
                assertEquals("proxy connect timeout", CollectorConnection.describe(viaProxy.get(), true));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void realStallsAreTimeoutsAndAStalledTlsHandshakeIsATlsFailure() throws Exception {
        try (Collector hang = new Collector(Collector.Behaviour.HANG)) {
            OptionalInt viaHang = OptionalInt.of(hang.port());
            CompletableFuture<Throwable> request = CLIENT.start(hang.url("/t"), DIRECT);
            CompletableFuture<Throwable> handshake = CLIENT.start(hang.url("/t").replace("http:", "https:"), DIRECT);
            CompletableFuture<Throwable> proxiedRequest = CLIENT.start("http://collector.invalid/t", viaHang);
            CompletableFuture<Throwable> tunnel = CLIENT.start("https://collector.invalid/t", viaHang);

            assertEquals("timeout", CollectorConnection.describe(request.get(), false));
            assertEquals("TLS handshake failed", CollectorConnection.describe(handshake.get(), false));
            assertEquals("proxy timed out", CollectorConnection.describe(proxiedRequest.get(), true));
            // no CONNECT tunnel in time: Netty's proxy handler gives up with a ProxyConnectException
            assertEquals("proxy timed out", CollectorConnection.describe(tunnel.get(), true));
        }
    }

    @Test
    void aProxysRefusedTunnelIsARefusalWhateverTheDestinationIsCalled() throws Exception {
        // the exception's message names the destination: a host called "timeout" must not make it a timeout
        try (Collector proxy = new Collector(Collector.Behaviour.SERVER_ERROR_500)) {
            assertEquals("proxy refused the connection", CollectorConnection.describe(
                    CLIENT.post("https://timeout.invalid/t", OptionalInt.of(proxy.port())), true));
        }
    }

    @Test
    void realAnswersThatAreNotHttpAndClosedConnectionsAreNamedSo() throws Exception {
        for (RawCollector.Kind kind : List.of(RawCollector.Kind.GARBAGE, RawCollector.Kind.HUGE_HEADERS)) {
            try (RawCollector odd = new RawCollector(kind, 50)) {
                assertEquals("the answer was not valid HTTP", CollectorConnection.describe(CLIENT.post(odd.url("/t"), DIRECT), false), kind.name());
            }
        }
        try (Collector closing = new Collector(Collector.Behaviour.CLOSE)) {
            assertEquals("connection closed", CollectorConnection.describe(CLIENT.post(closing.url("/t"), DIRECT), false));
        }
    }

    @Test
    void aWrappedNetworkFailureIsNamedByTheFirstCauseOfAKnownType() {
        assertEquals("connection refused", CollectorConnection.describe(
                new jakarta.ws.rs.ProcessingException(new ConnectException("Connection refused: /127.0.0.1:9")), false));
        assertEquals("unknown host", CollectorConnection.describe(
                new RuntimeException(new UnknownHostException("roar-collector.invalid")), false));
        assertEquals("timeout", CollectorConnection.describe(new java.util.concurrent.TimeoutException(), false));
    }

    @Test
    void anUnknownFailureIsNamedByItsClassNeverByItsMessage() {
        String why = CollectorConnection.describe(new IllegalStateException("http://user:secret@proxy:3128"), false);
        assertEquals("IllegalStateException", why);
    }

    @Test
    void aConnectTimeoutIsNotARefusalAndAProxyIsNamedWhenOneIsUsed() {
        // Netty's ConnectTimeoutException extends java.net.ConnectException
        Throwable connectTimeout = new jakarta.ws.rs.ProcessingException(
                new io.netty.channel.ConnectTimeoutException("connection timed out after 2000 ms: /10.0.0.1:80"));
        assertEquals("connect timeout", CollectorConnection.describe(connectTimeout, false));
        assertEquals("proxy connect timeout", CollectorConnection.describe(connectTimeout, true));
        assertEquals("proxy timed out", CollectorConnection.describe(new java.util.concurrent.TimeoutException(), true));
        assertEquals("proxy refused the connection",
                CollectorConnection.describe(new ConnectException("Connection refused"), true));
    }

    @Test
    void anAnswerThatIsNotHttpIsNamedSo() {
        assertEquals("the answer was not valid HTTP", CollectorConnection.describe(
                new jakarta.ws.rs.ProcessingException(new IllegalArgumentException("invalid version format: HELLO,")), false));
        assertEquals("the answer was not valid HTTP", CollectorConnection.describe(
                new io.netty.handler.codec.http.TooLongHttpHeaderException("HTTP header is larger than 8192 bytes."), false));
    }
}
