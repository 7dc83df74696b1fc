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

    /** A POST on its way; {@link #await} settles it by its own deadline and cancels it past that. */
    final class Pending {
        private final CompletableFuture<Response> response;
        private final long deadlineNanos;

        private Pending(CompletableFuture<Response> response, long deadlineNanos) {
            this.response = response;
            this.deadlineNanos = deadlineNanos;
        }

        Sent await() {
            try {
                long left = Math.max(0, deadlineNanos - System.nanoTime());
                try (Response r = response.get(left, TimeUnit.NANOSECONDS)) {
                    return new Sent.Answered(r.getStatus());
                }
            } catch (TimeoutException e) {
                response.cancel(true);
                return new Sent.Unreachable("timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.cancel(true);
                return new Sent.Unreachable("interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof jakarta.ws.rs.WebApplicationException wae && wae.getResponse() != null) {
                    return new Sent.Answered(wae.getResponse().getStatus());
                }
                return new Sent.Unreachable(describe(cause));
            } catch (RuntimeException e) {
                return new Sent.Unreachable(describe(e));
            }
        }
    }

    /**
     * Why a request failed, in words a user can act on. The client wraps the network's exception
     * (ProcessingException around ConnectException...): the innermost known cause decides. Never the
     * exception's message, which may carry a proxy URL.
     */
    static String describe(Throwable failure) {
        String fallback = failure.getClass().getSimpleName();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (name.endsWith("ProxyConnectException")) {
                return "proxy refused the connection";
            }
            if (t instanceof java.net.UnknownHostException || name.endsWith("UnknownHostException")) {
                return "unknown host";
            }
            if (t instanceof java.net.ConnectException || name.endsWith("ConnectException")) {
                return "connection refused";
            }
            if (t instanceof java.net.SocketTimeoutException || name.endsWith("ConnectTimeoutException")
                    || name.endsWith("TimeoutException")) {
                return "timeout";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
            if (t instanceof java.io.IOException || name.endsWith("ClosedException")) {
                fallback = "connection closed";
            }
        }
        return fallback;
    }

    /** Starts a POST of {@code body} that must be answered within {@code deadline}. */
    Pending post(byte[] body, Duration deadline) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        try {
            return new Pending(client.send(body).toCompletableFuture(), deadlineNanos);
        } catch (RuntimeException e) {
            return new Pending(CompletableFuture.failedFuture(e), deadlineNanos);
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
