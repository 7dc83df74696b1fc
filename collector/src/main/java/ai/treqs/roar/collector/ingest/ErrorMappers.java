package ai.treqs.roar.collector.ingest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import ai.treqs.roar.collector.store.FailureLog;

/** Every error is a problem+json in words: no stack trace, no request content, ever. */
public class ErrorMappers {
    private static final FailureLog LOG = new FailureLog(ErrorMappers.class);

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
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
        Response.ResponseBuilder answer = Response.fromResponse(Problem.status(status, title, detail))
                .replaceAll(original.getHeaders()).type(Problem.MEDIA_TYPE);
        if (status == 405 && isIngest(uri)) {
            // RFC 9110: a 405 names the methods the path takes (HEAD too gets this answer, with no body)
            answer.header(IngestResource.ALLOW_HEADER, IngestResource.ALLOW);
        }
        return answer.build();
    }

    private static boolean isIngest(UriInfo uri) {
        String path = uri.getPath();
        return path != null && (path.equals(IngestResource.PATH) || path.equals(IngestResource.PATH + "/"));
    }

    /** A defect, never an expected answer: logged with its cause (no request content), answered 500 in words. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.defect("a request failed unexpectedly and was answered 500", e);
        return Problem.status(500, "Internal Server Error", "The collector failed; the event was not stored.");
    }
}
