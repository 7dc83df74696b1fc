package ai.treqs.roar.collector.ingest;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.micrometer.core.instrument.MeterRegistry;

import ai.treqs.roar.collector.CollectorConfig;
import ai.treqs.roar.collector.store.EventWriter;

/**
 * {@code POST /api/v1/telemetry/roar}: one event, validated, then stored by the group-commit writer. The answer
 * waits for the commit; it reads nothing of the request but its content type and body.
 */
@Path(IngestResource.PATH)
public class IngestResource {
    static final int MAX_BODY = 64 * 1024;
    public static final String PATH = "/api/v1/telemetry/roar";
    static final String ALLOW_HEADER = "Allow";
    static final String ALLOW = "POST, OPTIONS";

    @Inject PayloadRouter router;
    @Inject EventWriter writer;
    @Inject CollectorConfig config;
    @Inject MeterRegistry registry;

    @POST
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> ingest(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        Instant receivedAt = Instant.now();
        if (!isJson(contentType)) {
            return done(Problem.status(415, "Unsupported Media Type", "An event is sent as application/json."));
        }
        if (body != null && body.length > MAX_BODY) {
            return done(Problem.status(413, "Content Too Large", "An event is at most 64 KiB."));
        }
        Verdict verdict = router.route(body == null ? new byte[0] : body, receivedAt);
        if (verdict instanceof Verdict.Refused refused) {
            registry.counter("roar_collector_refused", "rule", refused.problem().rule()).increment();
            return done(refused.problem().response());
        }
        return writer.store(((Verdict.Accepted) verdict).event()).handle((isNew, error) -> {
            if (error == null) {
                return Response.noContent().build();
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String reason = cause instanceof EventWriter.Unavailable u ? u.getMessage() : "timed out waiting for the database";
            return Response.fromResponse(Problem.status(503, "Service Unavailable", "The event was not confirmed ("
                    + reason + "); it may or may not be stored, and it is safe to send it again: an event is stored once."))
                    .header(HttpHeaders.RETRY_AFTER, config.retryAfterSeconds()).build();
        });
    }

    /** The methods of this path: the same list every {@code 405} here carries (ErrorMappers). */
    @OPTIONS
    public Response options() {
        return Response.noContent().header(ALLOW_HEADER, ALLOW).build();
    }

    /** {@code application/json}, with no parameter but an optional UTF-8 charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static CompletionStage<Response> done(Response response) {
        return CompletableFuture.completedFuture(response);
    }
}
