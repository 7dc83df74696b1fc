package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/telemetry.md#when-events-are-made, #what-is-collected, #upload-mechanics, docs/proxies-and-ledger.md: milestones of real commands reach a loopback collector through
 * the detached uploader that the foreground starts, byte for byte and once each.
 */
@ExtendWith(AwaitUploaders.class)
class UploadDeliveryIT {

    @TempDir Path root;

    @Test
    void initInAFreshInstallDeliversItsThreeMilestonesThroughTheDetachedUploader() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));

            RoarProcess.Result init = roar.run("init", "--no-gitignore");

            assertEquals(0, init.exitCode(), init.stderr());
            E2e.await(Duration.ofSeconds(60), () -> E2e.ledgerLines(roar).size() == 3, "three events in the ledger");
            E2e.awaitUploaderDone(roar, Duration.ofSeconds(60)); // anything sent twice would have arrived by then
            List<Collector.Request> requests = collector.requests();
            assertEquals(3, requests.size());
            Map<String, Object> stats = E2e.stats(roar);
            Map<Long, String> triggerBySequence = new TreeMap<>();
            Set<String> eventIds = new TreeSet<>();
            for (Collector.Request request : requests) {
                assertEquals("POST", request.method());
                assertEquals(E2e.PATH, request.path());
                assertEquals("application/json", request.header("Content-Type"));
                assertEquals("roar-telemetry/1", request.header("User-Agent"));
                Map<String, Object> body = E2e.json(request.body());
                assertEquals(new TreeSet<>(E2e.PAYLOAD_KEYS), body.keySet(), "exactly the 14 keys");
                assertArrayEquals(E2e.canonical(body), request.body(), "compact, sorted, one line, no newline");
                assertEquals(stats.get("install_id"), body.get("install_id"));
                triggerBySequence.put(((Number) body.get("sequence")).longValue(), (String) body.get("trigger"));
                eventIds.add((String) body.get("event_id"));
            }
            assertEquals(Map.of(1L, "first_seen_for_install_id", 2L, "first_seen_for_version", 3L, "init"),
                    triggerBySequence);
            assertEquals(3, eventIds.size());
            assertEquals(List.of(), E2e.queueEntries(roar), "the queue is empty");

            List<String> ledger = E2e.ledgerLines(roar);
            assertEquals(3, ledger.size());
            Set<Object> ledgerBodies = ledger.stream().map(l -> E2e.json(l).get("body")).collect(Collectors.toSet());
            Set<Object> sentBodies = requests.stream().map(r -> (Object) E2e.json(r.body())).collect(Collectors.toSet());
            assertEquals(sentBodies, ledgerBodies, "the ledger holds exactly what was sent");
            for (String line : ledger) {
                assertEquals(collector.url(E2e.PATH), E2e.json(line).get("endpoint"));
            }
        }
    }

    @Test
    void fourSuccessfulRunsDeliverEachRunMilestoneOnce() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            int[] deliveredAfter = {3, 4, 5, 5};
            for (int run = 0; run < 4; run++) {
                RoarProcess.Result result = roar.run("run", "--", "true");
                assertEquals(0, result.exitCode(), result.stderr());
                int expected = deliveredAfter[run];
                // each run's uploader finishes before the next run queues (a busy uploader lock leaves events waiting)
                E2e.await(Duration.ofSeconds(60), () -> E2e.ledgerLines(roar).size() == expected,
                        expected + " events delivered after run " + (run + 1));
            }
            E2e.awaitUploaderDone(roar, Duration.ofSeconds(60));
            Map<String, Map<String, Object>> byTrigger = new TreeMap<>();
            for (Collector.Request request : collector.requests()) {
                Map<String, Object> body = E2e.json(request.body());
                assertEquals(null, byTrigger.put((String) body.get("trigger"), body), "sent once: " + body.get("trigger"));
            }
            assertEquals(Set.of("first_seen_for_install_id", "first_seen_for_version", "first_successful_roar_run",
                    "second_successful_roar_run", "third_successful_roar_run"), byTrigger.keySet());
            for (String first : List.of("first_seen_for_install_id", "first_seen_for_version", "first_successful_roar_run")) {
                Map<String, Object> counts = E2e.map(byTrigger.get(first), "subcommand_counts");
                assertEquals(Map.of("run", 1, "run_success", 1), counts, first + " is built from the first run's snapshot");
                assertEquals(Map.of("disabled", 1), E2e.map(byTrigger.get(first), "tracer_selections"));
            }
            assertEquals(Map.of("run", 2, "run_success", 2),
                    E2e.map(byTrigger.get("second_successful_roar_run"), "subcommand_counts"));
            assertEquals(Map.of("run", 3, "run_success", 3),
                    E2e.map(byTrigger.get("third_successful_roar_run"), "subcommand_counts"));
            assertEquals(List.of(), E2e.queueEntries(roar));
            assertEquals(Map.of("run", 4, "run_success", 4), E2e.map(E2e.stats(roar), "subcommand_counts"));
        }
    }
}
