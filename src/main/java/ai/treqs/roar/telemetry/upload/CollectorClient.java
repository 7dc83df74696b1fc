package ai.treqs.roar.telemetry.upload;

import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

/**
 * The collector, as a MicroProfile REST client. Its base URI is the effective endpoint, set at run
 * time; the body is a queued file's bytes, sent as they are.
 */
public interface CollectorClient {
    String USER_AGENT = "roar-telemetry/1";

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = "User-Agent", value = USER_AGENT)
    CompletionStage<Response> send(byte[] body);
}
