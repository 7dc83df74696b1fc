package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.Collector.Behaviour;
import ai.treqs.roar.testing.RoarProcess;

/** docs/telemetry.md#upload-mechanics: only 204 deletes an event, and a collector that hangs costs the foreground nothing. */
@ExtendWith(AwaitUploaders.class)
class UploadFailureIT {

    @TempDir Path root;

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"SERVER_ERROR_500", "TOO_MANY_429", "OK_200", "REDIRECT_301", "HANG", "TRICKLE", "CLOSE"})
    void aCollectorThatDoesNotAnswer204KeepsEveryEvent(Behaviour behaviour) throws Exception {
        try (Collector collector = new Collector(behaviour)) {
            RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            RoarProcess.Result init = roar.run("init", "--no-gitignore");
            assertEquals(0, init.exitCode(), init.stderr());
            // the detached uploader tries first; --flush then runs alone and says what it did
            E2e.await(Duration.ofSeconds(60), () -> Files.exists(E2e.lastAttempt(roar)), "the detached uploader's attempt");
            Map<String, byte[]> before = E2e.queued(roar);
            assertEquals(3, before.size());

            RoarProcess.Result flush = roar.run("telemetry", "--flush");

            System.out.printf("%s: flush says \"%s\" (%d ms)%n", behaviour, flush.stdout().strip(), flush.wall().toMillis());
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertTrue(flush.stdout().startsWith("Uploaded 0, kept 3"), flush.stdout());
            String reason = switch (behaviour) {
                case SERVER_ERROR_500 -> "HTTP 500";
                case TOO_MANY_429 -> "HTTP 429";
                // the collector received every POST; the events were kept because only a 204 confirms one
                case OK_200 -> "(the collector answered HTTP 200, not 204: the events were kept for a later upload)";
                case REDIRECT_301 -> "HTTP 301";
                case HANG, TRICKLE -> "timeout"; // TRICKLE: the 5 s deadline is the code's, not an idle timeout
                default -> "unreachable";
            };
            assertTrue(flush.stdout().contains(reason), flush.stdout());
            Map<String, byte[]> after = E2e.queued(roar);
            assertEquals(before.keySet(), after.keySet(), "every event kept");
            before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " unchanged"));
            assertTrue(collector.requests().size() >= 2, "both the uploader and the flush reached the collector");
            for (Collector.Request request : collector.requests()) {
                assertEquals(E2e.PATH, request.path(), "a redirect is never followed");
                String name = E2e.json(request.body()).get("event_id") + ".json";
                assertArrayEquals(before.get(name), request.body());
            }
            assertEquals(0, E2e.ledgerLines(roar).size(), "nothing delivered, nothing in the ledger");
        }
    }

    @Test
    void aHangingCollectorDoesNotSlowTheForegroundCommand() throws Exception {
        try (Collector collector = new Collector(Behaviour.HANG)) {
            RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            RoarProcess.Result status = roar.run("telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());

            RoarProcess.Result init = roar.run("init", "--no-gitignore");

            boolean uploaderStillRunning = !Files.exists(E2e.lastAttempt(roar));
            System.out.printf("hanging collector: roar init %d ms, roar telemetry --status %d ms (request deadline 5000 ms)%n",
                    init.wall().toMillis(), status.wall().toMillis());
            assertEquals(0, init.exitCode(), init.stderr());
            assertTrue(init.wall().compareTo(status.wall().plusSeconds(3)) < 0,
                    "init " + init.wall().toMillis() + " ms, status " + status.wall().toMillis() + " ms");
            assertTrue(uploaderStillRunning, "init returned while its uploader was still waiting for the collector");
            E2e.await(Duration.ofSeconds(30), () -> !collector.requests().isEmpty(), "the uploader's POST");
            E2e.await(Duration.ofSeconds(30), () -> Files.exists(E2e.lastAttempt(roar)), "the uploader giving up");
            assertEquals(3, E2e.queued(roar).size());
            assertFalse(E2e.ledgerLines(roar).size() > 0);
        }
    }
}
