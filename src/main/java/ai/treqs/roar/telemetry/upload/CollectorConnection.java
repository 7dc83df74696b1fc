package ai.treqs.roar.telemetry.upload;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * One keep-alive connection pool to the collector for an uploader run (contract §7): connect timeout
 * 2 s, a 5 s deadline per request enforced here (the request is cancelled), no redirects, optional proxy.
 */
final class CollectorConnection implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

    /** How one POST ended. */
    sealed interface Sent {
        record Answered(int status) implements Sent {}
        record Unreachable(String why) implements Sent {}
    }

    private final CollectorClient client;

    CollectorConnection(String endpoint, java.util.Optional<ProxySettings> proxy) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(endpoint))
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                // statuses are data here: no exception mapper turns 4xx/5xx into exceptions
                .property("microprofile.rest.client.disable.default.mapper", true);
        proxy.ifPresent(p -> {
            // Vert.x sends http requests to an HTTP proxy in absolute form with a preemptive
            // Proxy-Authorization (Basic) when it has both a user and a password; for https it tunnels
            // with CONNECT and authenticates that. Its own proxy connect timeout defaults to 10 s.
            builder.proxyAddress(p.host(), p.port());
            builder.proxyConnectTimeout(CONNECT_TIMEOUT);
            p.user().ifPresent(builder::proxyUser);
            p.password().ifPresent(builder::proxyPassword);
        });
        this.client = builder.build(CollectorClient.class);
    }

    Sent post(byte[] body, Duration deadline) {
        CompletableFuture<Response> pending = null;
        try {
            pending = client.send(body).toCompletableFuture();
            try (Response response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Sent.Answered(response.getStatus());
            }
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Sent.Unreachable("timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent.Unreachable("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof jakarta.ws.rs.WebApplicationException wae && wae.getResponse() != null) {
                return new Sent.Answered(wae.getResponse().getStatus());
            }
            return new Sent.Unreachable(cause.getClass().getSimpleName());
        } catch (RuntimeException e) {
            return new Sent.Unreachable(e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing the pool at the end of a run: nothing left to do
            }
        }
    }
}
