package ai.treqs.roar.collector.ingest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error is a problem+json in words: no stack trace, no request content, ever. */
public class ErrorMappers {
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String title = original.getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 405 -> "This path takes POST only.";
            case 413 -> "An event is at most 64 KiB.";
            case 415 -> "An event is sent as application/json.";
            case 404 -> "Nothing here.";
            default -> title + ".";
        };
        return Response.fromResponse(Problem.status(status, title, detail)).replaceAll(original.getHeaders()).type(Problem.MEDIA_TYPE).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return Problem.status(500, "Internal Server Error", "The collector failed; the event was not stored.");
    }
}
