package ai.treqs.roar.telemetry.upload;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.ProcessingException;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;

/**
 * The failures the uploader's REST client reports, made for real: a POST by Vert.x' HTTP client (the
 * transport under the REST client, which needs a running Quarkus application) to a loopback server, wrapped in
 * the {@link ProcessingException} the REST client puts around them. The client's waits are cut to
 * {@link #WAIT_MS} so a stall ends quickly; what it throws when a wait ends is the same.
 */
final class RealFailures implements AutoCloseable {
    static final int WAIT_MS = 300;

    private final Vertx vertx = Vertx.vertx();

    /** The exception a POST to {@code endpoint} (through an HTTP proxy on loopback {@code proxyPort}) ends with. */
    Throwable post(String endpoint, OptionalInt proxyPort) throws Exception {
        return start(endpoint, proxyPort).get(30, TimeUnit.SECONDS);
    }

    /** {@link #post}, started: several stalls can then wait at once. */
    CompletableFuture<Throwable> start(String endpoint, OptionalInt proxyPort) {
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout(WAIT_MS)
                .setSslHandshakeTimeout(WAIT_MS).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        proxyPort.ifPresent(port -> options.setProxyOptions(new ProxyOptions().setHost("127.0.0.1").setPort(port)
                .setConnectTimeout(Duration.ofMillis(WAIT_MS))));
        HttpClient client = vertx.createHttpClient(options);
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint).setIdleTimeout(WAIT_MS))
                .compose(request -> request.send(Buffer.buffer("{}")))
                .toCompletionStage().toCompletableFuture()
                .<Throwable>handle((answer, failure) -> {
                    client.close();
                    if (failure == null) {
                        throw new AssertionError(endpoint + " answered " + answer.statusCode());
                    }
                    return new ProcessingException(failure instanceof CompletionException c ? c.getCause() : failure);
                });
    }

    /** A port nothing listens on. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * A listening socket whose listen queue is full and never served: further connects time out (their
     * SYNs are dropped). Close the returned sockets after the server.
     */
    static List<Socket> fill(ServerSocket full) throws Exception {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket s = new Socket();
            try {
                s.connect(full.getLocalSocketAddress(), WAIT_MS);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return fillers;
            }
        }
        throw new AssertionError("could not fill the listen queue");
    }

    @Override
    public void close() {
        vertx.close();
    }
}
