package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/** docs/telemetry.md#upload-mechanics: uploader runs are single-flight; concurrent {@code --flush}es never send an event twice. */
class ConcurrentFlushIT {
    private static final Pattern UPLOADED = Pattern.compile("^Uploaded (\\d+), kept (\\d+)");

    @TempDir Path root;

    @Test
    void threeConcurrentFlushesSendEveryEventExactlyOnce() throws Exception {
        RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
        List<String> ids = QueueSeeds.fillQueue(roar, 30);
        Map<String, byte[]> files = E2e.queued(roar);
        assertEquals(30, files.size());

        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            roar.env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            List<Process> flushes = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path out = root.resolve("flush-" + i + ".txt");
                outputs.add(out);
                flushes.add(roar.builder("telemetry", "--flush").redirectOutput(out.toFile())
                        .redirectError(root.resolve("flush-" + i + ".err").toFile()).start());
            }
            int uploaded = 0;
            for (int i = 0; i < 3; i++) {
                assertTrue(flushes.get(i).waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, flushes.get(i).exitValue());
                String said = Files.readString(outputs.get(i), StandardCharsets.UTF_8).strip();
                System.out.println("concurrent flush " + i + ": " + said);
                Matcher m = UPLOADED.matcher(said);
                assertTrue(m.find(), said);
                uploaded += Integer.parseInt(m.group(1));
            }

            Map<String, Integer> timesSent = new HashMap<>();
            for (Collector.Request request : collector.requests()) {
                String id = (String) E2e.json(request.body()).get("event_id");
                timesSent.merge(id, 1, Integer::sum);
                assertArrayEquals(files.get(id + ".json"), request.body(), "the body is the queued file's bytes");
            }
            assertEquals(30, timesSent.size(), "every event sent");
            timesSent.forEach((id, n) -> assertEquals(1, n, id + " sent once"));
            assertEquals(new java.util.TreeSet<>(ids), new java.util.TreeSet<>(timesSent.keySet()));
            assertEquals(30, uploaded, "the flushes together report every event");
            assertEquals(List.of(), E2e.queueEntries(roar));
            assertEquals(30, E2e.ledgerLines(roar).size());
        }
    }

    @Test
    void aFlushThatFindsAnUploadRunningWaitsForItBoundedAndSendsNothingWhileItRuns() throws Exception {
        RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
        QueueSeeds.fillQueue(roar, 12);
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT);
             FileChannel channel = FileChannel.open(roar.cache().resolve(".lock"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE);
             FileLock running = channel.lock()) { // what a running uploader holds, here for longer than a run
            roar.env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));

            RoarProcess.Result flush = roar.run("telemetry", "--flush");

            assertEquals(0, flush.exitCode(), flush.stderr());
            assertEquals("Uploaded 0, kept 12 (stopped: another upload is still running after 35 s)", flush.stdout().strip());
            assertTrue(flush.wall().toSeconds() >= 35 && flush.wall().toSeconds() < 90, "waited one run, no more: " + flush.wall());
            assertEquals(0, collector.connections(), "no connection while another uploader holds the lock");
            assertEquals(12, E2e.queued(roar).size());
        }
    }
}
