package ai.treqs.roar.telemetry.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

class CollectorConnectionTest {

    @Test
    void aWrappedNetworkFailureIsNamedByItsInnermostKnownCause() {
        assertEquals("connection refused", CollectorConnection.describe(
                new jakarta.ws.rs.ProcessingException(new ConnectException("Connection refused: /127.0.0.1:9"))));
        assertEquals("unknown host", CollectorConnection.describe(
                new RuntimeException(new UnknownHostException("roar-collector.invalid"))));
        assertEquals("timeout", CollectorConnection.describe(new java.util.concurrent.TimeoutException()));
    }

    @Test
    void anUnknownFailureIsNamedByItsClassNeverByItsMessage() {
        String why = CollectorConnection.describe(new IllegalStateException("http://user:secret@proxy:3128"));
        assertEquals("IllegalStateException", why);
    }
}
