package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/** Puts an install into a known state for the upload tests: events queued, no background uploader racing the test. */
final class QueueSeeds {
    private static final Pattern UPLOADED = Pattern.compile("^Uploaded (\\d+), kept");
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    private QueueSeeds() {}

    /**
     * A failed upload attempt a moment ago: for the next hour a foreground command queues but starts no
     * background uploader (docs/telemetry.md#when-events-are-made), so the test decides when uploads happen ({@code --flush}).
     */
    static void holdBackgroundUploads(RoarProcess roar) throws IOException {
        Files.createDirectories(roar.cache());
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Files.writeString(roar.cache().resolve("last-attempt"),
                "{\"at\":\"" + now + "\",\"failed\":true,\"outcome\":\"held by the test\"}\n");
    }

    /**
     * Queues the three events of a first {@code roar init} (install, version, init) without uploading them.
     * Events are queued only while uploads are on: the install needs an endpoint from somewhere (its
     * environment, a file, the build); {@link E2e#refusingUrl} is one that keeps them queued.
     */
    static List<Path> queueThreeByInit(RoarProcess roar) throws IOException, InterruptedException {
        holdBackgroundUploads(roar);
        RoarProcess.Result init = roar.run("init");
        if (init.exitCode() != 0) {
            throw new IllegalStateException("roar init failed: " + init.stderr());
        }
        List<Path> queued = queued(roar);
        if (queued.size() != 3) {
            throw new IllegalStateException("expected 3 queued events after init, found " + queued);
        }
        return queued;
    }

    /**
     * Replaces the queue with {@code n} valid events: copies of the real {@code init} event with fresh ids
     * (UUIDs have one length and keys are sorted, so a copy is still in canonical form), mtimes a second
     * apart so the uploader's oldest-first order is their creation order. Returns their ids in that order.
     * Afterwards the last attempt has failed, so no later command of this install starts an uploader by
     * itself within the hour: uploads happen when a test asks for them ({@code --flush}, {@code __upload}).
     */
    static List<String> fillQueue(RoarProcess roar, int n) throws IOException, InterruptedException {
        List<Path> real = queueThreeByInit(roar);
        Path init = real.stream().filter(p -> read(p).contains("\"trigger\":\"init\"")).findFirst().orElseThrow();
        String template = read(init);
        String templateId = init.getFileName().toString().replace(".json", "");
        for (Path p : real) {
            Files.delete(p);
        }
        List<String> ids = new ArrayList<>();
        Instant base = Instant.now().minusSeconds(n + 10L);
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            Path file = roar.queue().resolve(id + ".json");
            Files.writeString(file, template.replace(templateId, id), StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(base.plusSeconds(i)));
            ids.add(id);
        }
        return ids;
    }

    /** An install under {@code dir} sending to {@code endpoint}, with the three events of a first {@code roar init} queued. */
    static RoarProcess threeQueued(Path dir, String endpoint) throws IOException, InterruptedException {
        RoarProcess roar = E2e.install(dir).env(E2e.ENDPOINT_VARIABLE, endpoint);
        queueThreeByInit(roar);
        return roar;
    }

    /** {@code roar telemetry --flush}, which exits 0 whatever the collector did. */
    static RoarProcess.Result flush(RoarProcess roar) throws IOException, InterruptedException {
        RoarProcess.Result flush = roar.run("telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        return flush;
    }

    /** What {@link #flushUntilDelivered} saw: the total uploaded and the last run's summary line. */
    record Flushed(int uploaded, String lastSummary) {}

    /**
     * {@code roar telemetry --flush}, again while the only problem was a request that hit the 5 s deadline
     * (at most 3 runs). On a loaded 2-core machine the first POST of a fresh JVM can take that long; the
     * uploader makes such an event a retry (at least once, docs/telemetry.md#upload-mechanics), so a test that counts requests counts event ids.
     */
    static Flushed flushUntilDelivered(RoarProcess roar) throws IOException, InterruptedException {
        int uploaded = 0;
        String summary = "";
        for (int run = 0; run < 3; run++) {
            RoarProcess.Result flush = roar.run("telemetry", "--flush");
            if (flush.exitCode() != 0) {
                throw new IllegalStateException("--flush exited " + flush.exitCode() + ": " + flush.stderr());
            }
            summary = flush.stdout().strip();
            Matcher m = UPLOADED.matcher(summary);
            if (!m.find()) {
                throw new IllegalStateException("unexpected --flush output: " + summary);
            }
            uploaded += Integer.parseInt(m.group(1));
            if (!summary.endsWith("(stopped: endpoint unreachable: timeout)")
                    && !summary.endsWith("(stopped: endpoint unreachable: proxy timed out)")) {
                break;
            }
            System.out.println("QueueSeeds: --flush hit the request deadline, flushing again: " + summary);
        }
        return new Flushed(uploaded, summary);
    }

    /** The event id in a payload or ledger line. */
    static String eventId(String json) {
        Matcher m = EVENT_ID.matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no event_id in " + json);
        }
        return m.group(1);
    }

    /** Event ids in the order a collector first received them (a timed-out request may have been received too). */
    static List<String> distinctEventIds(List<Collector.Request> requests) {
        Set<String> ids = new LinkedHashSet<>();
        requests.forEach(r -> ids.add(eventId(r.bodyText())));
        return List.copyOf(ids);
    }

    static List<Path> queued(RoarProcess roar) {
        if (!Files.isDirectory(roar.queue())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(roar.queue())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file under {@code root} whose bytes contain {@code needle} (ASCII). */
    static List<Path> filesContaining(Path root, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> new String(readBytes(p), StandardCharsets.ISO_8859_1).contains(needle))
                    .toList();
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
