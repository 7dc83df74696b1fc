package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/telemetry.md#where-state-lives with real processes: a killed writer corrupts nothing, and the next writer cleans up after it.
 * (Concurrent writers losing nothing: {@code faults/ConcurrencyIT}, at two scales.)
 */
class StatsCrashIT {

    @TempDir Path root;

    @Test
    void aWriterKilledAtRandomMomentsNeverLeavesACorruptStatsFile() throws Exception {
        RoarProcess roar = E2e.install(root);
        Path project = Files.createDirectories(root.resolve("project"));
        String[] init = {"init", "--no-gitignore", "--path", project.toString()};
        RoarProcess.Result first = roar.run(init);
        assertEquals(0, first.exitCode(), first.stderr());
        String installId = (String) E2e.stats(roar).get("install_id");
        // how long a writer lives beside another one: the kills land across its whole life, recording included
        long calibrationStart = System.nanoTime();
        Process a = roar.builder(init).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
        Process b = roar.builder(init).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - calibrationStart);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 20;
        int finished = 0;
        for (int i = 0; i < kills; i++) {
            // a second writer that is left alone keeps the file and its lock busy while the victim dies
            Process other = roar.builder(init).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
            Process victim = roar.builder(init).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
            Thread.sleep((long) (wall * (0.6 + 0.5 * random.nextDouble())));
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, other.exitValue());
            finished++;

            Map<String, Object> stats = E2e.stats(roar); // throws if the file is not whole JSON
            assertEquals(installId, stats.get("install_id"), "the stats file was never restarted (seed " + seed + ")");
            assertNoCorruptCopies(roar);
        }
        int inits = ((Number) E2e.map(E2e.stats(roar), "subcommand_counts").get("init")).intValue();
        assertTrue(inits >= 3 + finished && inits <= 3 + 2 * kills,
                "init count " + inits + " between the writers that finished and all writers");
        System.out.printf("stats: %d writers killed with SIGKILL at random moments (seed %d); stats.json always whole, "
                + "%d inits recorded by %d finished + %d killed writers%n", kills, seed, inits, finished + 3, kills);

        // whatever temp files the kills left, and one planted: all stale after a minute, removed by the next writer
        Files.write(roar.cache().resolve(".tmp-" + UUID.randomUUID()), "{\"half\":".getBytes(StandardCharsets.UTF_8));
        Instant twoMinutesAgo = Instant.now().minus(Duration.ofMinutes(2));
        for (Path temp : temps(roar.cache())) {
            Files.setLastModifiedTime(temp, FileTime.from(twoMinutesAgo));
        }
        RoarProcess.Result next = roar.run(init);
        assertEquals(0, next.exitCode(), next.stderr());
        assertEquals(List.of(), temps(roar.cache()));
    }

    @Test
    void theNextWriterRemovesStaleTempFilesAndKeepsFreshOnes() throws Exception {
        RoarProcess roar = E2e.install(root);
        RoarProcess.Result first = roar.run("init", "--no-gitignore");
        assertEquals(0, first.exitCode(), first.stderr());
        Path stale = roar.cache().resolve(".tmp-" + UUID.randomUUID());
        Path fresh = roar.cache().resolve(".tmp-" + UUID.randomUUID());
        Files.write(stale, "{\"stats_schema".getBytes(StandardCharsets.UTF_8));
        Files.write(fresh, "{\"stats_schema".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofSeconds(61 + 60))));

        RoarProcess.Result next = roar.run("init", "--no-gitignore");

        assertEquals(0, next.exitCode(), next.stderr());
        assertFalse(Files.exists(stale), "a temp file older than a minute is a leftover of a killed writer");
        assertTrue(Files.exists(fresh), "a temp file younger than a minute may belong to a writer at work");
    }

    private static List<Path> temps(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private static void assertNoCorruptCopies(RoarProcess roar) throws IOException {
        try (Stream<Path> files = Files.list(roar.cache())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("stats.json.corrupt")).toList(),
                    "no reader ever found stats.json unparseable");
        }
    }
}
