package ai.treqs.roar.collector.summary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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

/** {@code GET /api/v1/telemetry/roar/summary?from=YYYY-MM-DD&to=YYYY-MM-DD} behind the read token. */
@Path("/api/v1/telemetry/roar/summary")
public class SummaryResource {
    static final int DEFAULT_DAYS = 30;

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
        LocalDate to;
        LocalDate from;
        try {
            to = toText == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(toText);
        } catch (DateTimeParseException e) {
            return Problem.badRequest("date", "to", "'to' is a UTC date, YYYY-MM-DD.").response();
        }
        try {
            from = fromText == null ? to.minusDays(DEFAULT_DAYS - 1) : LocalDate.parse(fromText);
        } catch (DateTimeParseException e) {
            return Problem.badRequest("date", "from", "'from' is a UTC date, YYYY-MM-DD.").response();
        }
        if (from.isAfter(to)) {
            return Problem.badRequest("date_order", "from", "'from' is after 'to'.").response();
        }
        Map<String, Object> body;
        try {
            body = SummaryJson.of(figures.summary(new Window(from, to,
                    Optional.ofNullable(version).filter(v -> !v.isBlank()))));
        } catch (SQLException e) {
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
