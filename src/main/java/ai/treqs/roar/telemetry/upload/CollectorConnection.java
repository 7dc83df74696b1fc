package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.proxy.ProxyConnectException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.http.HttpClosedException;

/**
 * The connections to the collector for one uploader run (docs/telemetry.md#upload-mechanics, step 6): at most
 * {@link #MAX_CONNECTIONS} open at once, kept alive when the server allows it (Vert.x closes a connection
 * after an HTTP/1.0 answer or {@code Connection: close}, and the next request opens a new one); connect
 * timeout 2 s; a 5 s deadline per request enforced here (the request is cancelled); no redirects;
 * optional proxy; no answer read beyond {@link AnswerBound#MAX_BODY_BYTES}.
 */
final class CollectorConnection implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);
    /** Polite to a server thousands of installs share: never more connections than this (docs/telemetry.md#upload-mechanics). */
    static final int MAX_CONNECTIONS = 2;

    /** How one POST ended. */
    sealed interface Sent {
        record Answered(int status) implements Sent {}
        /** No answer: a connection failure, a timeout, an answer that is not HTTP. Ends the run. */
        record Unreachable(String why) implements Sent {}
        /** Cancelled because the run reached its own bound, not because the server was late. */
        record Cut() implements Sent {}
    }

    private final CollectorClient client;
    private final boolean viaProxy;
    private final long createdNanos;
    private static final long NOT_YET = Long.MIN_VALUE;
    /** When the client first put a request on a connection (Vert.x creates a request once it has one). */
    private final AtomicLong firstOnTheWire = new AtomicLong(NOT_YET);

    CollectorConnection(String endpoint, Optional<ProxySettings> proxy) {
        this.createdNanos = System.nanoTime();
        this.viaProxy = proxy.isPresent();
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(endpoint))
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                // statuses are data here: no exception mapper turns 4xx/5xx into exceptions
                .property("microprofile.rest.client.disable.default.mapper", true)
                .httpClientOptionsCustomizer(options -> options
                        .setMaxPoolSize(MAX_CONNECTIONS)
                        .setHttp2MaxPoolSize(1)
                        .setKeepAlive(true)
                        .setPipelining(false))
                .httpClientRequestCustomizer(request -> {
                    firstOnTheWire.compareAndSet(NOT_YET, System.nanoTime());
                    AnswerBound.watch(request);
                });
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
        private final long postedNanos;
        /** Whether the client had already put a request on the wire in this run when this one was posted. */
        private final boolean warm;

        private Pending(CompletableFuture<Response> response, long postedNanos, boolean warm) {
            this.response = response;
            this.postedNanos = postedNanos;
            this.warm = warm;
        }

        /**
         * The 5 s deadline bounds waiting for the server, not the uploader's own warm-up. The first request of
         * a run (the only one in flight until it is answered) gets its 5 s from the moment Vert.x had a
         * connection for it and wrote it, so creating the client and loading its classes do not count
         * (connecting is bounded by the 2 s connect timeout); and as much again as that warm-up took, because
         * reading the first answer loads and runs the cold half of the same client: on an idle machine a few
         * hundred milliseconds, on a saturated one what keeps the first answer deliverable. Later requests,
         * on a warm client, count from when they were posted. {@code runDeadlineNanos} bounds every wait.
         */
        Sent await(long runDeadlineNanos) {
            try {
                while (true) {
                    long now = System.nanoTime();
                    long wire = firstOnTheWire.get();
                    boolean onWire = warm || wire != NOT_YET;
                    long toRunBound = runDeadlineNanos - now;
                    long toRequestDeadline = !onWire ? Long.MAX_VALUE
                            : warm ? postedNanos + REQUEST_DEADLINE.toNanos() - now
                            : wire + (wire - createdNanos) + REQUEST_DEADLINE.toNanos() - now;
                    long until = Math.min(toRequestDeadline, toRunBound);
                    if (until <= 0) {
                        response.cancel(true);
                        return toRequestDeadline <= toRunBound ? timedOut() : new Sent.Cut();
                    }
                    // not yet on the wire: look again soon, so the 5 s start as soon as it is
                    long slice = onWire ? until : Math.min(until, TimeUnit.MILLISECONDS.toNanos(50));
                    try (Response r = response.get(slice, TimeUnit.NANOSECONDS)) {
                        return answered(r.getStatus());
                    } catch (TimeoutException e) {
                        // loop: deadline check above
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.cancel(true);
                return new Sent.Unreachable("interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof WebApplicationException wae && wae.getResponse() != null) {
                    return answered(wae.getResponse().getStatus());
                }
                return new Sent.Unreachable(describe(cause, viaProxy));
            } catch (RuntimeException e) {
                return new Sent.Unreachable(describe(e, viaProxy));
            }
        }

        private Sent timedOut() {
            return new Sent.Unreachable(viaProxy ? "proxy timed out" : "timeout");
        }
    }

    /** Only a proxy answers 407: its refusal ends the run like a refused connection (docs/proxies-and-ledger.md). */
    private static Sent answered(int status) {
        return status == 407 ? new Sent.Unreachable("proxy refused: authentication required (HTTP 407)") : new Sent.Answered(status);
    }

    /**
     * Why a request failed, in words a user can act on. The client wraps the network's exception
     * (ProcessingException around ConnectException...): the outermost cause of a known type decides, by its
     * type, never by its class name (Netty and Vert.x rename their internal classes) and never by its
     * message, which may carry a proxy URL. The Netty and Vert.x types named here are their public API.
     */
    static String describe(Throwable failure, boolean viaProxy) {
        String fallback = failure.getClass().getSimpleName();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AnswerBound.AnswerTooLong) {
                return AnswerBound.TOO_LONG;
            }
            // before ConnectException, which both extend: a proxy's refusal of a CONNECT tunnel, a connect timeout
            if (t instanceof ProxyConnectException) {
                return proxyGaveUp(t) ? "proxy timed out" : "proxy refused the connection";
            }
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return viaProxy ? "proxy connect timeout" : "connect timeout";
            }
            if (t instanceof UnknownHostException) {
                return viaProxy ? "unknown proxy host" : "unknown host";
            }
            if (t instanceof ConnectException) {
                return viaProxy ? "proxy refused the connection" : "connection refused";
            }
            // Vert.x' request timeout is a java.util.concurrent.TimeoutException; Netty's read timeout its own
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException) {
                return viaProxy ? "proxy timed out" : "timeout";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed";
            }
            // Netty's HTTP decoder (header or line too long, a bad chunk); Vert.x reports a status line that is
            // not HTTP ("invalid version format") as an IllegalArgumentException
            if (t instanceof DecoderException || t instanceof IllegalArgumentException) {
                return "the answer was not valid HTTP";
            }
            if (t instanceof IOException || t instanceof HttpClosedException) {
                fallback = "connection closed";
            }
        }
        return fallback;
    }

    /**
     * Netty's proxy handler reports the end of its own wait for a CONNECT tunnel as a ProxyConnectException
     * like a refusal; only its message tells them apart: {@code "<proxy> => <destination>, timeout"}. The
     * last part, after the destination (a host name may contain "timeout"), is the reason.
     */
    private static boolean proxyGaveUp(Throwable t) {
        String message = String.valueOf(t.getMessage());
        return message.endsWith(", timeout");
    }

    /** Starts a POST of {@code body}; {@link Pending#await} decides when it is too late. */
    Pending post(byte[] body) {
        long posted = System.nanoTime();
        boolean warm = firstOnTheWire.get() != NOT_YET;
        try {
            return new Pending(client.send(body).toCompletableFuture(), posted, warm);
        } catch (RuntimeException e) {
            return new Pending(CompletableFuture.failedFuture(e), posted, warm);
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
