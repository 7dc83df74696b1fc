package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/telemetry.md#upload-mechanics, step 4: the uploader looks at every queued file again. Whatever else lands in the queue
 * directory (edited events, links, junk, devices, directories) is removed unsent, and good events
 * around it still go.
 */
class QueueDefenceIT {

    @TempDir Path root;

    @Test
    void nothingButValidEventsLeavesTheQueueAndEverythingElseIsRemoved() throws Exception {
        RoarProcess roar = E2e.install(root).env(E2e.ENDPOINT_VARIABLE, E2e.refusingUrl());
        List<String> good = QueueSeeds.fillQueue(roar, 3);
        Path queue = roar.queue();
        byte[] template = Files.readAllBytes(queue.resolve(good.get(0) + ".json"));
        Map<String, Object> payload = E2e.json(template);

        Map<String, Object> extraField = new TreeMap<>(payload);
        extraField.put("event_id", "extra-field-event");
        extraField.put("hostname", "MARKER-extra-field");
        Files.write(queue.resolve("extra-field-event.json"), E2e.canonical(extraField));

        Map<String, Object> extraCounter = new TreeMap<>(payload);
        extraCounter.put("event_id", "extra-counter-event");
        Map<String, Object> counts = new TreeMap<>(E2e.map(payload, "subcommand_counts"));
        counts.put("MARKER-extra-counter", 7);
        extraCounter.put("subcommand_counts", counts);
        Files.write(queue.resolve("extra-counter-event.json"), E2e.canonical(extraCounter));

        // a valid event outside the queue: only the link check stands between it and the collector
        Map<String, Object> outside = new TreeMap<>(payload);
        outside.put("event_id", "symlinked-event");
        Path secret = Files.createDirectories(root.resolve("outside")).resolve("secret.json");
        byte[] secretBytes = E2e.canonical(outside);
        Files.write(secret, secretBytes);
        FileTime secretModified = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(secret, secretModified);
        Files.createSymbolicLink(queue.resolve("symlinked-event.json"), secret);

        byte[] garbage = new byte[2048];
        new Random(7).nextBytes(garbage);
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        junk.write(garbage);
        junk.write("MARKER-garbage".getBytes(StandardCharsets.US_ASCII));
        Files.write(queue.resolve("garbage-event.json"), junk.toByteArray());

        ByteArrayOutputStream badUtf8 = new ByteArrayOutputStream();
        String withId = new String(E2e.withEventId(template, good.get(0), "bad-utf8-event"), StandardCharsets.UTF_8);
        int trigger = withId.indexOf("\"trigger\":\"") + "\"trigger\":\"".length();
        badUtf8.write(withId.substring(0, trigger).getBytes(StandardCharsets.UTF_8));
        badUtf8.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        badUtf8.write(("MARKER-bad-utf8" + withId.substring(trigger)).getBytes(StandardCharsets.UTF_8));
        Files.write(queue.resolve("bad-utf8-event.json"), badUtf8.toByteArray());

        Map<String, Object> big = new TreeMap<>(payload);
        big.put("event_id", "big-event");
        byte[] bigBody = E2e.canonical(big);
        byte[] padded = new byte[200 * 1024];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(bigBody, 0, padded, 0, bigBody.length);
        Files.write(queue.resolve("big-event.json"), padded);

        Path fifo = queue.resolve("fifo-event.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, mkfifo.exitValue());

        Files.createDirectory(queue.resolve("x.json"));
        assertEquals(11, E2e.queueEntries(roar).size(), "3 good events and 8 bad entries");

        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            roar.env(E2e.ENDPOINT_VARIABLE, collector.url(E2e.PATH));
            RoarProcess.Result flush = roar.run("telemetry", "--flush");

            System.out.println("defence: flush says \"" + flush.stdout().strip() + "\"");
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertTrue(flush.stdout().startsWith("Uploaded 3, kept 0"), flush.stdout());
            Map<String, Integer> sent = new HashMap<>();
            for (Collector.Request request : collector.requests()) {
                String body = request.bodyText();
                for (String marker : List.of("MARKER", "extra-field-event", "extra-counter-event", "symlinked-event",
                        "garbage-event", "bad-utf8-event", "big-event", "fifo-event", "hostname")) {
                    assertFalse(body.contains(marker), marker + " was sent: " + body);
                }
                sent.merge((String) E2e.json(request.body()).get("event_id"), 1, Integer::sum);
            }
            assertEquals(new TreeSet<>(good), new TreeSet<>(sent.keySet()), "the good events still went");
            sent.values().forEach(n -> assertEquals(1, n));
            assertEquals(List.of(), E2e.queueEntries(roar), "every bad entry removed, the good ones delivered");
            assertArrayEquals(secretBytes, Files.readAllBytes(secret), "the symlink's target untouched");
            assertEquals(secretModified, Files.getLastModifiedTime(secret, LinkOption.NOFOLLOW_LINKS));
        }
    }
}
