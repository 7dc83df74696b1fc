package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Issue 5, concurrency: many writers on one install lose nothing and never expose a partial file;
 * several uploaders at once never send an event twice.
 */
class ConcurrencyIT {
    static final int PROCESSES = 8;
    static final int RECORDS_EACH = 100;

    @TempDir Path root;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @NativeSkips.JvmOnly("the 8 writers are RecordLoop JVMs on the test class path, never the executable: natively it "
            + "would only repeat the JVM run")
    void eightProcessesRecordingAHundredCommandsEachLoseNothingAndAReaderNeverSeesAPartialFile() throws Exception {
        RoarProcess roar = Faults.install(root, "http://127.0.0.1:9/unused");
        Path go = root.resolve("go");
        List<Process> loops = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            loops.add(Faults.startRecordLoop(roar, String.valueOf(RECORDS_EACH), go.toString()));
        }
        for (Process loop : loops) {
            assertEquals("ready", Faults.readLine(loop));
        }

        // a concurrent reader: every stats.json and queued file it can see must be whole and valid
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong statsReads = new AtomicLong();
        AtomicLong queueReads = new AtomicLong();
        AtomicReference<String> partial = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (writing.get() && partial.get() == null) {
                try {
                    String bad = Faults.invalidStats(roar.stats());
                    if (Files.exists(roar.stats())) {
                        statsReads.incrementAndGet();
                    }
                    if (bad != null) {
                        partial.set("stats.json: " + bad);
                    }
                    for (Path file : Faults.entries(roar.queue(), "*.json")) {
                        String name = file.getFileName().toString();
                        byte[] bytes;
                        try {
                            bytes = Files.readAllBytes(file);
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        queueReads.incrementAndGet();
                        String why = Faults.invalidQueued(name.substring(0, name.length() - 5), bytes);
                        if (why != null) {
                            partial.set(name + ": " + why);
                        }
                        break; // one queued file per pass keeps the reader as fast on stats.json as the writers
                    }
                    Thread.sleep(1); // a reader, not a CPU hog competing with the writers for 2 cores
                } catch (Exception e) {
                    partial.set(e.toString());
                }
            }
        }, "reader");
        reader.start();

        long start = System.nanoTime();
        Files.createFile(go);
        List<String> summaries = new ArrayList<>(); // recorded=N skipped=N failed=N reasons={...} slowest=Nms
        for (Process loop : loops) {
            assertTrue(loop.waitFor(150, TimeUnit.SECONDS), "a record loop did not finish");
            summaries.add(Faults.readLine(loop));
            assertEquals(0, loop.exitValue());
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        writing.set(false);
        reader.join();

        int total = PROCESSES * RECORDS_EACH;
        long recorded = summaries.stream().filter(s -> s.startsWith("recorded=" + RECORDS_EACH + " skipped=0 failed=0")).count();
        long slowest = summaries.stream().filter(s -> s != null && s.contains("slowest="))
                .mapToLong(s -> Long.parseLong(s.replaceAll(".*slowest=(\\d+)ms.*", "$1"))).max().orElse(-1);
        Map<String, Object> stats = Faults.stats(roar);
        long counted = ((Number) ((Map<?, ?>) stats.get("subcommand_counts")).get("init")).longValue();
        long sequence = ((Number) stats.get("sequence")).longValue();
        Map<String, byte[]> queued = Faults.queued(roar);
        Set<Long> sequences = new HashSet<>();
        for (Map.Entry<String, byte[]> e : queued.entrySet()) {
            assertEquals(null, Faults.invalidQueued(e.getKey(), e.getValue()), e.getKey());
            sequences.add(((Number) Json.parseObject(e.getValue()).get("sequence")).longValue());
        }
        // a recording skipped (stats lock busy for 2 s) loses its increment and its event; an event that got a
        // sequence number but is not queued is lost too
        long lost = (total - counted) + (sequence - queued.size());
        Results.row("concurrency: 8 processes × 100 recorded commands on one install, a reader looping meanwhile", total,
                counted + "/" + total + " counted, " + queued.size() + " events queued with sequences 1.." + sequence
                        + "; reader: " + statsReads.get() + " stats.json + " + queueReads.get() + " queue reads, "
                        + (partial.get() == null ? "0" : "1") + " partial; " + Faults.seconds(wall)
                        + ", slowest recording " + slowest + " ms (the stats lock waits at most 2 s)",
                lost, 0);

        assertEquals(null, partial.get(), "the reader saw a partial or invalid file");
        assertEquals(PROCESSES, recorded, "every loop recorded every command: " + summaries);
        assertEquals(total, counted, "init counter");
        // each init fires `init`; the very first also both first-seen triggers
        assertEquals(total + 2, sequence, "sequence");
        assertEquals(total + 2, queued.size(), "queued events");
        Set<Long> expected = new HashSet<>();
        for (long s = 1; s <= total + 2; s++) {
            expected.add(s);
        }
        assertEquals(expected, sequences, "every sequence number exactly once");
        assertEquals(List.of(), Faults.entries(roar.cache(), "stats.json.corrupt-*"), "nothing was ever seen as corrupt");
        assertTrue(statsReads.get() > 0, "the reader read while the writers wrote");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void concurrentUploadersAndFlushesNeverSendAnEventTwice() throws Exception {
        int events = 200;
        int rounds = 2;
        Map<String, Integer> seen = new HashMap<>();
        Map<String, byte[]> all = new HashMap<>();
        int duplicates = 0;
        long leaked = 0;
        int lost = 0;
        int processes = 0;
        List<String> flushOutputs = new ArrayList<>();
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            for (int round = 0; round < rounds; round++) {
                String path = "/round-" + round;
                RoarProcess roar = Faults.install(root.resolve("r" + round), collector.url(path));
                Map<String, byte[]> planted = Faults.plantGoodEvents(roar, events, Instant.now().minusSeconds(3600));
                all.putAll(planted);
                // two detached-uploader entry points and two --flush, all at once
                List<Callable<RoarProcess.Result>> racers = List.of(
                        () -> Faults.run(roar, "__upload"), () -> Faults.run(roar, "telemetry", "--flush"),
                        () -> Faults.run(roar, "__upload"), () -> Faults.run(roar, "telemetry", "--flush"));
                processes += racers.size();
                for (RoarProcess.Result r : Faults.parallel(racers.size(), racers)) {
                    assertEquals(0, r.exitCode(), r.stderr());
                    if (!r.stdout().isEmpty()) {
                        flushOutputs.add(r.stdout().strip());
                    }
                }
                List<String> ids = Faults.receivedIds(collector, path);
                for (String id : ids) {
                    seen.merge(id, 1, Integer::sum);
                }
                duplicates += ids.size() - new HashSet<>(ids).size();
                leaked += Faults.leakedBytes(collector, path, planted);
                Set<String> missing = new HashSet<>(planted.keySet());
                missing.removeAll(ids);
                lost += missing.size();
                assertEquals(Map.of(), Faults.queued(roar), "the queue was drained");
            }
        }
        Results.row("concurrency: 4 uploaders at once (2 × __upload, 2 × --flush) against a 204 collector, 200 events", rounds * events,
                seen.size() + "/" + rounds * events + " delivered, " + duplicates + " sent twice; " + processes
                        + " processes; flush said: " + String.join(" / ", new HashSet<>(flushOutputs)),
                lost, leaked);
        assertEquals(0, duplicates, "an event was sent twice");
        assertEquals(0, lost, "an event was neither sent nor kept");
        assertEquals(0, leaked);
        assertEquals(rounds * events, seen.size());
    }
}
