package ai.treqs.roar.collector.summary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import ai.treqs.roar.collector.CollectorConfig;
import ai.treqs.roar.collector.ingest.Problem;
import ai.treqs.roar.collector.store.FailureLog;

/** {@code GET /api/v1/telemetry/roar/summary?from=YYYY-MM-DD&to=YYYY-MM-DD} behind the read token. */
@Path("/api/v1/telemetry/roar/summary")
public class SummaryResource {
    private static final FailureLog LOG = new FailureLog(SummaryResource.class);

    @Inject CollectorConfig config;
    @Inject SummaryFigures figures;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response summary(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @QueryParam("from") String fromText, @QueryParam("to") String toText,
                            @QueryParam("version") String version) {
        Optional<String> token = config.readToken().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return Problem.status(404, "Not Found", "The summary is off: no read token is configured.");
        }
        if (!authorized(authorization, token.get())) {
            return Response.fromResponse(Problem.status(401, "Unauthorized", "The summary needs the read token."))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        Window.Parsed parsed = Window.parse(fromText, toText, LocalDate.now(ZoneOffset.UTC));
        if (parsed instanceof Window.Refused refused) {
            return refused.problem().response();
        }
        Window window = ((Window.Valid) parsed).window()
                .withVersion(Optional.ofNullable(version).filter(v -> !v.isBlank()));
        Map<String, Object> body;
        try {
            body = SummaryJson.of(figures.summary(window));
        } catch (SQLException e) {
            LOG.failed("the summary was answered 503: reading it failed", e);
            return Response.fromResponse(Problem.status(503, "Service Unavailable", "The database is unavailable."))
                    .header(HttpHeaders.RETRY_AFTER, config.retryAfterSeconds()).build();
        }
        return Response.ok(body).build();
    }

    private static boolean authorized(String authorization, String token) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }
}
