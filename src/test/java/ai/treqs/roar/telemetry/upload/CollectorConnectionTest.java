package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

class CollectorConnectionTest {

    @Test
    void aWrappedNetworkFailureIsNamedByItsInnermostKnownCause() {
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
