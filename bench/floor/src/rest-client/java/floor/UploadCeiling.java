package floor;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The REST client's own ceiling for the uploader figure (docs/performance.md#uploader-against-both-server-kinds):
 * the same MicroProfile REST client roar's uploader uses, built with the same connection settings (at most 2
 * connections, keep-alive, no pipelining), posting one body N times with at most 2 requests on their way, and
 * nothing else per event (no queue file read, checked or deleted, no ledger). Only the full floor
 * (bench/floor.sh) has it; the benchmark never runs it in the start-up rounds.
 *
 *     roar upload-ceiling ENDPOINT BODY_FILE COUNT
 */
@Command(name = "upload-ceiling", hidden = true)
class UploadCeiling implements Runnable {
    @Parameters(index = "0") URI endpoint;
    @Parameters(index = "1") Path body;
    @Parameters(index = "2") int count;

    /** The collector as roar's uploader sees it. */
    public interface Sink {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        CompletionStage<Response> send(byte[] body);
    }

    @Override
    public void run() {
        try {
            byte[] bytes = Files.readAllBytes(body);
            Sink sink = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(endpoint)
                    .connectTimeout(2, TimeUnit.SECONDS)
                    .readTimeout(5, TimeUnit.SECONDS)
                    .followRedirects(false)
                    .property("microprofile.rest.client.disable.default.mapper", true)
                    .httpClientOptionsCustomizer(o -> o.setMaxPoolSize(2).setHttp2MaxPoolSize(1)
                            .setKeepAlive(true).setPipelining(false))
                    .build(Sink.class);
            Deque<CompletionStage<Response>> window = new ArrayDeque<>(2);
            int ok = 0;
            for (int i = 0; i < count; i++) {
                if (window.size() == 2 || i == 1) { // one request until the first answer, as roar's uploader does
                    ok += settle(window.poll());
                }
                window.add(sink.send(bytes));
            }
            while (!window.isEmpty()) {
                ok += settle(window.poll());
            }
            System.out.println("Sent " + ok + " of " + count);
        } catch (Exception e) {
            System.out.println("upload-ceiling: " + e);
        }
    }

    private static int settle(CompletionStage<Response> pending) throws Exception {
        try (Response r = pending.toCompletableFuture().get(5, TimeUnit.SECONDS)) {
            return r.getStatus() == 204 ? 1 : 0;
        }
    }
}
