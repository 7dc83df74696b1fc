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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#the-figures, concurrency: many writers on one install lose nothing and never expose a partial file, at two
 * scales (8 × 100 recordings through the facade; 8 loops of whole {@code roar init} processes); several
 * uploaders at once never send an event twice.
 */
@ExtendWith(AwaitUploaders.class)
class ConcurrencyIT {
    static final int PROCESSES = 8;
    static final int RECORDS_EACH = 100;

    @TempDir Path root;

    /**
     * The large scale: 8 {@link RecordLoop} JVMs × 100 recordings through the real facade, with no JVM start
     * per command, so the stats lock is contended on every recording.
     */
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
        List<String> summaries = new ArrayList<>(); // recorded=N skipped=N failed=N reasons={...} slowest=Nms
        Concurrent run = eightWritersWithAReader(roar, RECORDS_EACH, () -> {
            Files.createFile(go);
            List<String> failed = new ArrayList<>();
            for (Process loop : loops) {
                assertTrue(loop.waitFor(150, TimeUnit.SECONDS), "a record loop did not finish");
                String summary = Faults.readLine(loop);
                summaries.add(summary);
                assertEquals(0, loop.exitValue());
                if (summary == null || !summary.startsWith("recorded=" + RECORDS_EACH + " skipped=0 failed=0")) {
                    failed.add(summary);
                }
            }
            return failed;
        });
        long slowest = summaries.stream().filter(s -> s != null && s.contains("slowest="))
                .mapToLong(s -> Long.parseLong(s.replaceAll(".*slowest=(\\d+)ms.*", "$1"))).max().orElse(-1);
        int total = PROCESSES * RECORDS_EACH;
        Results.row("concurrency: 8 processes × 100 recorded commands on one install, a reader looping meanwhile", total,
                run.counted() + "/" + total + " counted, " + run.queued() + " events queued with sequences 1.." + run.sequence()
                        + "; reader: " + run.statsReads() + " stats.json + " + run.queueReads() + " queue reads, "
                        + (run.partial() == null ? "0" : "1") + " partial; " + Faults.seconds(run.wall())
                        + ", slowest recording " + slowest + " ms (the stats lock waits at most 2 s)",
                run.lost(), 0);
        run.assertNothingLost(summaries);
    }

    /**
     * The small scale, the whole command: 8 concurrent loops of real {@code roar init} processes (5 each;
     * {@code -De2e.stats.records=N} for more), JVM start, configuration and all, on one install.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void eightLoopsOfRealRoarProcessesRecordingConcurrentlyLoseNothing() throws Exception {
        int each = Integer.getInteger("e2e.stats.records", 5);
        RoarProcess roar = Faults.install(root, "http://127.0.0.1:9/unused");
        Faults.recentFailedAttempt(roar); // the commands queue, but start no uploader that would drain the queue
        Path project = Files.createDirectories(root.resolve("project"));
        Concurrent run = eightWritersWithAReader(roar, each, () -> {
            List<Callable<List<String>>> loops = new ArrayList<>();
            for (int loop = 0; loop < PROCESSES; loop++) {
                loops.add(() -> {
                    List<String> failed = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        RoarProcess.Result result = Faults.run(roar, "init", "--no-gitignore", "--path", project.toString());
                        if (result.exitCode() != 0 || !result.stderr().isEmpty()) {
                            failed.add(result.exitCode() + ": " + result.stderr());
                        }
                    }
                    return failed;
                });
            }
            return Faults.parallel(PROCESSES, loops).stream().flatMap(List::stream).toList();
        });
        System.out.printf("concurrency: %d roar processes in %d concurrent loops recorded %d inits in %s, none lost%n",
                PROCESSES * each, PROCESSES, run.counted(), Faults.seconds(run.wall()));
        run.assertNothingLost(List.of());
    }

    /** The writers of one scale: start them all, wait for them, return what any of them reported as failed. */
    private interface Writers {
        List<String> runAll() throws Exception;
    }

    /** What one scale saw: the install afterwards and what the concurrent reader read. */
    private record Concurrent(int total, long counted, long sequence, Map<String, byte[]> queuedEvents, List<String> failed,
                              long statsReads, long queueReads, String partial, Duration wall, List<Path> corrupt) {
        int queued() {
            return queuedEvents.size();
        }

        /** A recording skipped (stats lock busy for 2 s) loses its increment and its event; so does an event not queued. */
        long lost() {
            return (total - counted) + (sequence - queued());
        }

        void assertNothingLost(List<String> summaries) throws Exception {
            assertEquals(null, partial, "the reader saw a partial or invalid file");
            assertEquals(List.of(), failed, "every writer recorded every command: " + summaries);
            assertEquals(total, counted, "init counter");
            // each init fires `init`; the very first also both first-seen triggers
            assertEquals(total + 2, sequence, "sequence");
            assertEquals(total + 2, queued(), "queued events");
            Set<Long> sequences = new HashSet<>();
            for (Map.Entry<String, byte[]> e : queuedEvents.entrySet()) {
                assertEquals(null, Faults.invalidQueued(e.getKey(), e.getValue()), e.getKey());
                sequences.add(((Number) Json.parseObject(e.getValue()).get("sequence")).longValue());
            }
            Set<Long> expected = new HashSet<>();
            for (long s = 1; s <= total + 2; s++) {
                expected.add(s);
            }
            assertEquals(expected, sequences, "every sequence number exactly once");
            assertEquals(List.of(), corrupt, "nothing was ever seen as corrupt");
            assertTrue(statsReads > 0, "the reader read while the writers wrote");
        }
    }

    /**
     * Runs {@link #PROCESSES} writers of {@code each} recordings on one install while a reader loops over
     * stats.json and the queue: every file it can see must be whole and valid.
     */
    private Concurrent eightWritersWithAReader(RoarProcess roar, int each, Writers writers) throws Exception {
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
        List<String> failed;
        try {
            failed = writers.runAll();
        } finally {
            writing.set(false);
            reader.join();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Object> stats = Faults.stats(roar);
        long counted = ((Number) ((Map<?, ?>) stats.get("subcommand_counts")).get("init")).longValue();
        long sequence = ((Number) stats.get("sequence")).longValue();
        return new Concurrent(PROCESSES * each, counted, sequence, Faults.queued(roar), failed, statsReads.get(),
                queueReads.get(), partial.get(), wall, Faults.entries(roar.cache(), "stats.json.corrupt-*"));
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
