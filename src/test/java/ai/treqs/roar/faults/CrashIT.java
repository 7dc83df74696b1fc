package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#the-figures, crashes: {@code kill -9} at random moments while commands are recorded and queued, and
 * while the uploader drains. Stats never corrupt, no partial event in the queue, and what a killed
 * writer left behind is removed by the next command.
 */
@ExtendWith(AwaitUploaders.class)
class CrashIT {
    static final int RECORD_TRIALS = 88;
    static final int UPLOAD_TRIALS = 9;
    static final int SLOW_UPLOAD_TRIALS = 3;

    @TempDir Path root;

    /** Everything ever seen queued, by event id; the bytes a collector may receive for it. */
    private final Map<String, byte[]> seenQueued = new ConcurrentHashMap<>();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killNineAtRandomMomentsNeverCorruptsStatsOrTheQueueAndTheNextCommandCleansUp() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.println("[crash] seed " + seed + " (-Dfaults.seed=" + seed + " replays the kill moments)");
        Random random = new Random(seed);
        long start = System.nanoTime();
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url("/crash"));

            // 1. record + enqueue: two RecordLoops at a time on one install, each killed at a random moment
            //    (half of them during start-up and the first recording, half in the warm loop)
            AtomicInteger recordTrials = new AtomicInteger();
            List<Callable<String>> trials = new ArrayList<>();
            for (int i = 0; i < RECORD_TRIALS; i++) {
                long delay = random.nextInt(300);
                boolean warm = i % 2 == 1;
                trials.add(() -> {
                    Process loop = Faults.startRecordLoop(roar, "0");
                    assertEquals("ready", Faults.readLine(loop));
                    if (warm) {
                        assertEquals("recording", Faults.readLine(loop));
                    }
                    Thread.sleep(delay);
                    loop.destroyForcibly(); // SIGKILL
                    loop.waitFor(10, TimeUnit.SECONDS);
                    recordTrials.incrementAndGet();
                    return invariantViolation(roar);
                });
            }
            List<String> violations = new ArrayList<>(Faults.parallel(3, trials));
            String installId = (String) Faults.stats(roar).get("install_id");
            long afterRecording = ((Number) Faults.stats(roar).get("sequence")).longValue();

            // 2. upload: --flush killed after a random number of 204s (mid-drain), or mid-request (1 byte/s answers)
            int uploadTrials = 0;
            int killedMidDrain = 0;
            for (int i = 0; i < UPLOAD_TRIALS + SLOW_UPLOAD_TRIALS; i++) {
                boolean slow = i >= UPLOAD_TRIALS;
                collector.answer(slow ? Collector.Behaviour.TRICKLE : Collector.Behaviour.NO_CONTENT);
                violations.add(invariantViolation(roar));
                int before = collector.requests().size();
                int queued = Faults.queued(roar).size();
                int after = slow ? 1 : 1 + random.nextInt(Math.max(1, Math.min(40, queued / 2)));
                Process flush = Faults.start(roar, "telemetry", "--flush");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (collector.requests().size() - before < after && flush.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (slow) {
                    Thread.sleep(random.nextInt(3000)); // while the answer trickles in
                }
                killedMidDrain += flush.isAlive() ? 1 : 0;
                flush.destroyForcibly();
                flush.waitFor(10, TimeUnit.SECONDS);
                uploadTrials++;
                violations.add(invariantViolation(roar));
            }
            collector.answer(Collector.Behaviour.NO_CONTENT);

            // 3. leftovers: what the kills left, aged past the minute, plus one planted in each directory so the
            //    check cannot pass vacuously; the next command (roar init: stats + queue) must remove them all
            List<Path> leftovers = temps(roar);
            int realLeftovers = leftovers.size();
            leftovers.add(Files.write(roar.cache().resolve(SecureFiles.TEMP_PREFIX + "planted"), new byte[] {'{'}));
            leftovers.add(Files.write(roar.queue().resolve(SecureFiles.TEMP_PREFIX + "planted"), new byte[] {'{'}));
            for (Path temp : leftovers) {
                Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
            }
            Faults.recentFailedAttempt(roar); // no background uploader: the flush below is the one upload
            Path project = Files.createDirectories(root.resolve("project"));
            RoarProcess.Result next = Faults.run(roar, "init", "--no-gitignore", "--path", project.toString());
            assertEquals(0, next.exitCode(), next.stderr());
            List<Path> remaining = temps(roar);
            violations.add(invariantViolation(roar));

            // 4. everything still queued is delivered, byte for byte as it was queued
            RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            List<String> received = Faults.receivedIds(collector, "/crash");
            Set<String> lost = new HashSet<>(seenQueued.keySet());
            lost.removeAll(received);
            lost.removeAll(Faults.queued(roar).keySet());
            long leaked = Faults.leakedBytes(collector, "/crash", seenQueued);
            int resent = received.size() - new HashSet<>(received).size();
            violations.removeIf(v -> v == null);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);

            Results.row("crash: kill -9 at random moments: record/enqueue (RecordLoop, 3 at a time) and --flush (mid-drain, mid-answer)",
                    recordTrials.get() + uploadTrials,
                    violations.size() + " corrupt stats or partial events; install id unchanged: "
                            + installId.equals(Faults.stats(roar).get("install_id")) + "; " + afterRecording
                            + " commands recorded between kills; " + killedMidDrain + "/" + uploadTrials
                            + " uploads killed mid-run; " + realLeftovers + " temp files left by kills (+2 planted), "
                            + remaining.size() + " after the next command; " + resent
                            + " events sent again after a kill between 204 and delete (at least once); "
                            + Faults.seconds(wall),
                    lost.size(), leaked);

            assertEquals(List.of(), violations);
            assertEquals(installId, Faults.stats(roar).get("install_id"), "stats were never moved aside as corrupt");
            assertEquals(List.of(), remaining, "stale temp files after the next command");
            assertEquals(Set.of(), lost, "events neither delivered nor queued");
            assertEquals(0, leaked, "bytes sent that were not a queued event");
            assertEquals(Map.of(), Faults.queued(roar), "the final flush delivered everything");
        }
    }

    /** Null when stats parse and validate and every queued event is whole and sendable; records what it saw. */
    private String invariantViolation(RoarProcess roar) throws IOException {
        String stats = Faults.invalidStats(roar.stats());
        if (stats != null) {
            return "stats.json: " + stats;
        }
        if (!Faults.entries(roar.cache(), "stats.json.corrupt-*").isEmpty()) {
            return "stats.json was found corrupt and moved aside";
        }
        for (Path file : Faults.entries(roar.queue(), "*.json")) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".json".length());
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                continue; // delivered or dropped meanwhile
            }
            String why = Faults.invalidQueued(id, bytes);
            if (why != null) {
                return name + ": " + why;
            }
            seenQueued.putIfAbsent(id, bytes);
        }
        Path ledger = roar.cache().resolve("sent.jsonl");
        if (Files.exists(ledger)) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                try {
                    Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return "sent.jsonl line: " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static List<Path> temps(RoarProcess roar) throws IOException {
        List<Path> temps = new ArrayList<>(Faults.entries(roar.cache(), SecureFiles.TEMP_PREFIX + "*"));
        temps.addAll(Faults.entries(roar.queue(), SecureFiles.TEMP_PREFIX + "*"));
        return temps;
    }
}
