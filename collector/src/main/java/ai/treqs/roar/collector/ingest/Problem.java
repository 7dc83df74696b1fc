package ai.treqs.roar.collector.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem: the failed rule and the JSON path, never a value the client sent.
 * {@code violations} lists every failed (rule, path) when a schema reports more than one.
 */
public record Problem(int status, String title, String rule, String path, String detail, List<Violation> violations) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One failed rule of a schema at one JSON path. */
    public record Violation(String rule, String path) {}

    public static Problem badRequest(String rule, String path, String detail) {
        return new Problem(400, "Invalid telemetry event", rule, path, detail, List.of());
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (rule != null) {
            body.put("rule", rule);
        }
        if (path != null) {
            body.put("path", path);
        }
        body.put("detail", detail);
        if (!violations.isEmpty()) {
            body.put("violations", violations);
        }
        return body;
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(body()).build();
    }

    public static Response status(int status, String title, String detail) {
        return new Problem(status, title, null, null, detail, List.of()).response();
    }
}
