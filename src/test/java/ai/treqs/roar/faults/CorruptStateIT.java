package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.payload.PayloadBuilder;
import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#the-figures, corrupt state: damaged stats, config files and queue entries. The command exits as it
 * would with telemetry off, prints no stack trace, good events are still delivered (to a 204
 * collector) and bad ones are never sent.
 */
@ExtendWith(AwaitUploaders.class)
class CorruptStateIT {
    static final int THREADS = 3;
    static Collector collector;

    @TempDir Path root;

    @BeforeAll
    static void collect() throws IOException {
        collector = new Collector(Collector.Behaviour.NO_CONTENT);
    }

    @AfterAll
    static void stop() throws IOException {
        collector.close();
    }

    /** How to damage a fresh install; returns the bytes the damaged file held. */
    interface Damage {
        byte[] apply(RoarProcess roar) throws Exception;
    }

    // ---- stats.json ---------------------------------------------------------------------------------

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void damagedStatsAreSetAsideOrLeftAloneAndTheCommandAndGoodEventsAreUnaffected() throws Exception {
        Map<String, Damage> cases = new LinkedHashMap<>();
        cases.put("bad JSON", roar -> write(roar.stats(), "{\"stats_schema_version\": 1, \"install_id\": "));
        cases.put("bad UTF-8", roar -> {
            byte[] bytes = validStats(s -> { }).getBytes(StandardCharsets.UTF_8);
            bytes[new String(bytes, StandardCharsets.ISO_8859_1).indexOf("11111111")] = (byte) 0xff;
            return write(roar.stats(), bytes);
        });
        cases.put("wrong types (\"sequence\": \"x\")", roar -> write(roar.stats(), validStats(s -> s.put("sequence", "x"))));
        cases.put("empty file", roar -> write(roar.stats(), new byte[0]));
        cases.put("newer schema version 99", roar -> write(roar.stats(), validStats(s -> {
            s.put("stats_schema_version", 99L);
            s.put("future_field", List.of(1L, 2L));
        })));
        cases.put("symlink to another file", roar -> {
            Path other = Files.writeString(roar.root().resolve("someone-elses.json"),
                    validStats(s -> s.put("install_id", OTHER_ID)));
            Files.createDirectories(roar.cache());
            Files.createSymbolicLink(roar.stats(), other);
            return Files.readAllBytes(other);
        });
        RoarProcess.Result baseline = baseline("run", "--", "true");

        List<Callable<Void>> tasks = new ArrayList<>();
        cases.forEach((name, damage) -> tasks.add(() -> {
            String path = "/stats/" + slug(name);
            RoarProcess roar = Faults.install(root.resolve(slug(name)), collector.url(path));
            Map<String, byte[]> planted = Faults.plantGoodEvents(roar, 2, Instant.now().minusSeconds(3600));
            Faults.recentFailedAttempt(roar); // this test flushes itself; no background uploader
            byte[] damaged = damage.apply(roar);
            boolean newer = name.startsWith("newer");
            boolean symlink = name.startsWith("symlink");

            RoarProcess.Result result = Faults.run(roar, "run", "--", "true");
            assertSameAsWithTelemetryOff(baseline, result, roar, "stats " + name);
            assertEquals("", result.stderr(), "stats " + name + ": nothing on stderr");

            String fate;
            if (symlink) {
                // docs/security.md#state-files-locks-and-the-queue: a stats path that is a link is not roar's: never read, written or moved through
                assertTrue(Files.isSymbolicLink(roar.stats()), "the link is left where it is");
                assertArrayEquals(damaged, Files.readAllBytes(roar.root().resolve("someone-elses.json")), "target untouched");
                assertEquals(planted.keySet(), Faults.queued(roar).keySet(), "nothing recorded through it");
                assertEquals(List.of(), Faults.entries(roar.cache(), "stats.json.corrupt-*"), "nothing moved aside");
                RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
                assertEquals(0, flush.exitCode(), flush.stderr());
                for (Collector.Request r : collector.requests()) {
                    assertFalse(r.bodyText().contains(OTHER_ID), "the symlink target's content was sent");
                }
                Results.row("corrupt state: stats.json " + name, 1, "roar run exit 0, no output, as with telemetry off; "
                        + "not roar's own file: left as it is, nothing recorded or sent while it is there", 0, 0);
                return null;
            }
            if (newer) {
                assertArrayEquals(damaged, Files.readAllBytes(roar.stats()), "a newer schema is left untouched");
                assertEquals(planted.keySet(), Faults.queued(roar).keySet(), "nothing recorded");
                fate = "left untouched, nothing recorded";
            } else {
                assertEquals(null, Faults.invalidStats(roar.stats()), name);
                assertNotEquals(OTHER_ID, Faults.stats(roar).get("install_id"));
                List<Path> aside = Faults.entries(roar.cache(), "stats.json.corrupt-*");
                assertEquals(1, aside.size(), "moved aside once: " + aside);
                assertArrayEquals(damaged, Files.readAllBytes(aside.get(0)), "the old content is kept aside");
                assertEquals(planted.size() + 3, Faults.queued(roar).size(), "a fresh install fired its 3 milestones");
                fate = "moved aside, fresh install recorded";
            }
            Delivery delivery = flushAndCompare(roar, path);
            Results.row("corrupt state: stats.json " + name, 1, "roar run exit 0, no output, as with telemetry off; " + fate + "; "
                    + delivery.summary(), delivery.lost(), delivery.leaked());
            delivery.assertClean("stats " + name);
            return null;
        }));
        Faults.parallel(THREADS, tasks);
    }

    // ---- config files -------------------------------------------------------------------------------

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void damagedConfigFilesFailClosedWithOneWarningAndTheCommandIsUnaffected() throws Exception {
        Random random = new Random(5);
        byte[] binary = new byte[2048];
        random.nextBytes(binary);
        binary[0] = 0;
        String huge = "# padding\n".repeat(7000) + "[telemetry]\nenabled = true\n"; // 70 KB > 64 KiB
        String malformed = "[telemetry\nenabled = true\n";

        record ConfigCase(String name, String file, String command, Damage damage) {}
        List<ConfigCase> cases = List.of(
                new ConfigCase("global config malformed", "global", "init", roar -> write(globalFile(roar), malformed)),
                new ConfigCase("global config binary", "global", "init", roar -> write(globalFile(roar), binary)),
                new ConfigCase("global config huge (70 KB)", "global", "init", roar -> write(globalFile(roar), huge)),
                new ConfigCase("system config malformed", "system", "init", roar -> write(systemFile(roar), malformed)),
                new ConfigCase("project config malformed", "project", "run", roar -> write(projectFile(roar), malformed)),
                new ConfigCase("project config binary", "project", "run", roar -> write(projectFile(roar), binary)),
                new ConfigCase("project config huge (70 KB)", "project", "run", roar -> write(projectFile(roar), huge)),
                new ConfigCase("project config a symlink to /dev/zero (endless)", "project", "run",
                        roar -> link(projectFile(roar), Path.of("/dev/zero"))),
                new ConfigCase("project config a symlink to a FIFO (blocks a reader)", "project", "run", roar -> {
                    Path fifo = roar.root().resolve("fifo");
                    mkfifo(fifo);
                    return link(projectFile(roar), fifo);
                }));
        RoarProcess.Result runBaseline = baseline("run", "--", "true");
        RoarProcess.Result initBaseline = baseline("init");

        List<Callable<Void>> tasks = new ArrayList<>();
        for (ConfigCase c : cases) {
            tasks.add(() -> {
                String path = "/config/" + slug(c.name());
                RoarProcess roar = Faults.install(root.resolve(slug(c.name())), collector.url(path));
                Map<String, byte[]> planted = Faults.plantGoodEvents(roar, 2, Instant.now().minusSeconds(3600));
                Faults.recentFailedAttempt(roar);
                c.damage().apply(roar);
                Path file = switch (c.file()) {
                    case "global" -> globalFile(roar);
                    case "system" -> systemFile(roar);
                    default -> projectFile(roar);
                };
                RoarProcess.Result result = c.command().equals("init")
                        ? Faults.run(roar, "init") : Faults.run(roar, "run", "--", "true");
                assertSameAsWithTelemetryOff(c.command().equals("init") ? initBaseline : runBaseline, result, roar, c.name());
                List<String> lines = result.stderr().lines().toList();
                assertEquals(1, lines.size(), c.name() + ": one warning line: " + result.stderr());
                assertTrue(lines.get(0).startsWith("roar: warning: ") && lines.get(0).contains(file.toString()),
                        c.name() + ": the warning names the file: " + lines.get(0));
                assertFalse(Files.exists(roar.stats(), LinkOption.NOFOLLOW_LINKS), c.name() + ": fails closed, nothing recorded");
                assertEquals(planted.keySet(), Faults.queued(roar).keySet(), c.name() + ": nothing queued, nothing lost");

                // the uploader reads the global and system files, not project files (applied when events were queued)
                boolean uploads = c.file().equals("project");
                Delivery delivery = flushAndCompare(roar, path);
                String outcome = "roar " + c.command() + " exit " + result.exitCode() + " and output as with telemetry off (in "
                        + Faults.seconds(result.wall()) + "), one warning: \"" + lines.get(0).replace(roar.root().toString(), "…")
                        + "\"; telemetry off (fails closed); " + (uploads ? delivery.summary()
                        : "--flush sent nothing, " + delivery.keptCount() + "/" + planted.size() + " events kept");
                Results.row("corrupt state: " + c.name(), 1, outcome, delivery.lost(), delivery.leaked());
                delivery.assertClean(c.name());
                if (!uploads) {
                    assertEquals(0, delivery.received().size(), c.name() + ": nothing sent while the file is invalid");
                }
                return null;
            });
        }
        Faults.parallel(THREADS, tasks);
    }

    // ---- queue entries ------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void badQueueEntriesAreNeverSentAndNeverStopGoodOnes() throws Exception {
        String path = "/queue";
        RoarProcess roar = Faults.install(root.resolve("queue"), collector.url(path));
        Map<String, byte[]> good = Faults.plantGoodEvents(roar, 3, Instant.now().minusSeconds(3600));
        Faults.recentFailedAttempt(roar);
        Path outside = Files.createDirectories(roar.root().resolve("outside"));

        // every bad entry is older than the good ones, so the uploader meets them first
        Map<String, Path> bad = new LinkedHashMap<>();
        bad.put("not valid UTF-8", plant(roar, id -> replaceFirst(event(id), "\"init\"", new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'})));
        bad.put("extra fields (cwd, env, platform.hostname)", plant(roar, id -> rewrite(event(id), payload -> {
            payload.put("cwd", "/home/alice/secret-project");
            payload.put("env", Map.of("AWS_SECRET_ACCESS_KEY", "secret-key"));
            ((Map<String, Object>) payload.get("platform")).put("hostname", "alice-secret-laptop");
        })));
        bad.put("extra counters", plant(roar, id -> rewrite(event(id), payload ->
                ((Map<String, Object>) payload.get("subcommand_counts")).put("secret-command --token", 1L))));
        bad.put("a null where a name belongs (platform.os)", plant(roar, id -> rewrite(event(id), payload ->
                ((Map<String, Object>) payload.get("platform")).put("os", null))));
        bad.put("empty file", plant(roar, id -> new byte[0]));
        bad.put("oversized (70 KB)", plant(roar, id -> replaceFirst(event(id), "\"init\"",
                ("\"init\",\"pad\":\"" + "x".repeat(70_000) + "\"").getBytes(StandardCharsets.UTF_8))));
        bad.put("named differently from its event_id", plant(roar, id -> event(PayloadBuilder.newEventId())));
        bad.put("event_id \"a b\" in a file named a b.json", plantNamed(roar, "a b", event("a b")));
        bad.put("event_id \"../x\" in x.json", plantNamed(roar, "x", event("../x")));
        bad.put("symlink to a valid event outside the queue", plantWith(roar, (id, file) -> {
            Path target = Files.write(outside.resolve(id + ".json"), event(id));
            Files.createSymbolicLink(file, target);
        }));
        bad.put("FIFO", plantWith(roar, (id, file) -> mkfifo(file)));
        bad.put("directory holding a valid event", plantWith(roar, (id, file) -> {
            Files.createDirectory(file);
            Files.write(file.resolve(id + ".json"), event(id));
        }));
        Path newer = plant(roar, id -> rewrite(event(id), payload -> payload.put("payload_schema_version", 2L)));
        Files.writeString(roar.queue().resolve("notes.txt"), "not an event");
        Map<String, byte[]> outsideBefore = snapshot(outside);

        RoarProcess.Result result = Faults.run(roar, "run", "--", "true");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stdout() + result.stderr());
        Faults.assertNoStackTrace(result, "run");
        Map<String, byte[]> sendable = new TreeMap<>();
        Faults.queued(roar).forEach((id, bytes) -> {
            if (Faults.invalidQueued(id, bytes) == null) {
                sendable.put(id, bytes);
            }
        });
        assertTrue(sendable.keySet().containsAll(good.keySet()));
        assertEquals(good.size() + 3, sendable.size(), "the planted good events and the run's 3 milestones");

        RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        Faults.assertNoStackTrace(flush, "flush");
        List<String> received = Faults.receivedIds(collector, path);
        long leaked = Faults.leakedBytes(collector, path, sendable);
        Set<String> lost = new HashSet<>(sendable.keySet());
        lost.removeAll(received);
        String delivered = received.size() + " requests, " + new HashSet<>(received).size() + "/" + sendable.size()
                + " good events delivered in the same --flush (\"" + flush.stdout().strip() + "\")";
        for (Map.Entry<String, Path> e : bad.entrySet()) {
            Path file = e.getValue();
            boolean gone = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            String name = file.getFileName().toString();
            boolean sent = received.contains(name.substring(0, name.length() - 5));
            String fate = gone ? "removed unsent" : Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    ? "skipped unsent (a directory is not an event; it stays)" : "STILL QUEUED";
            // lost and leaked are the figures of the one --flush all these entries share
            Results.row("corrupt state: queue entry " + e.getKey(), 1, fate + (sent ? ", SENT" : ""), lost.size(), leaked);
            assertFalse(sent, e.getKey() + " was sent");
            assertTrue(gone || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS), e.getKey() + " is still queued");
        }
        assertTrue(Files.exists(newer), "a payload version this build does not know is kept for a newer roar");
        Results.row("corrupt state: queue entry with payload_schema_version 2 (unknown to this build)", 1,
                "kept, neither sent nor deleted (a newer roar may send it)", lost.size(), leaked);
        Results.row("corrupt state: good events queued beside all " + (bad.size() + 1) + " entries above, the bad ones oldest",
                sendable.size(), delivered + "; a symlink's target untouched; no request body contains any bad entry's content",
                lost.size(), leaked);
        assertEquals(outsideBefore.keySet(), snapshot(outside).keySet(), "the symlink's target was not touched");
        Map<String, byte[]> outsideAfter = snapshot(outside);
        outsideBefore.forEach((k, v) -> assertArrayEquals(v, outsideAfter.get(k), "the symlink's target was not changed"));
        assertEquals(Set.of(), lost, "good events neither delivered nor kept");
        assertEquals(sendable.size(), received.size(), "each good event sent once, nothing else sent: " + received);
        assertEquals(0, leaked);
        for (Collector.Request r : collector.requests()) {
            assertFalse(r.bodyText().contains("secret"), "a bad entry's content was sent: " + r.bodyText());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static final String OTHER_ID = "0badf00d-0000-4000-8000-000000000000";

    private RoarProcess.Result baseline(String... args) throws Exception {
        RoarProcess off = Faults.install(root.resolve("baseline-" + String.join("-", args).replace("-", "")), null)
                .env("DO_NOT_TRACK", "1");
        RoarProcess.Result result = Faults.run(off, args);
        return new RoarProcess.Result(result.exitCode(), result.stdout().replace(off.root().toString(), "<root>"),
                result.stderr().replace(off.root().toString(), "<root>"), result.wall());
    }

    private static void assertSameAsWithTelemetryOff(RoarProcess.Result off, RoarProcess.Result result, RoarProcess roar, String what) {
        assertEquals(off.exitCode(), result.exitCode(), what + ": exit code; stderr: " + result.stderr());
        assertEquals(off.stdout(), result.stdout().replace(roar.root().toString(), "<root>"), what + ": stdout");
        Faults.assertNoStackTrace(result, what);
    }

    /** What --flush delivered, compared with what was sendable before it. */
    record Delivery(Map<String, byte[]> sendable, List<String> received, long leaked, int keptCount) {
        int lost() {
            Set<String> missing = new HashSet<>(sendable.keySet());
            missing.removeAll(received);
            return missing.size() - keptCount;
        }

        String summary() {
            return "--flush delivered " + new HashSet<>(received).size() + "/" + sendable.size() + " events, "
                    + (received.size() - new HashSet<>(received).size()) + " twice";
        }

        void assertClean(String what) {
            assertEquals(0, lost(), what + ": events lost");
            assertEquals(0, leaked, what + ": bytes leaked");
            assertEquals(new HashSet<>(received).size(), received.size(), what + ": sent twice");
        }
    }

    private static Delivery flushAndCompare(RoarProcess roar, String path) throws Exception {
        Map<String, byte[]> before = Faults.queued(roar);
        before.forEach((id, bytes) -> assertEquals(null, Faults.invalidQueued(id, bytes), "queued " + id));
        RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
        assertEquals(0, flush.exitCode(), flush.stderr());
        Faults.assertNoStackTrace(flush, "flush");
        List<String> received = Faults.receivedIds(collector, path);
        int kept = 0;
        for (String id : before.keySet()) {
            kept += received.contains(id) ? 0 : Faults.queued(roar).containsKey(id) ? 1 : 0;
        }
        return new Delivery(before, received, Faults.leakedBytes(collector, path, before), kept);
    }

    private static String validStats(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> stats = new TreeMap<>();
        stats.put("stats_schema_version", 1L);
        stats.put("install_id", "11111111-2222-4333-8444-555555555555");
        stats.put("first_seen", "2026-01-01T00:00:00Z");
        stats.put("updated_at", "2026-01-01T00:00:00Z");
        stats.put("sequence", 7L);
        stats.put("version_milestones", Map.of());
        stats.put("subcommand_counts", Map.of("init", 2L));
        stats.put("tracer_selections", Map.of());
        stats.put("feature_capabilities", Map.of());
        change.accept(stats);
        return Json.writeString(stats);
    }

    interface Maker {
        byte[] make(String eventId) throws Exception;
    }

    interface Placer {
        void place(String eventId, Path file) throws Exception;
    }

    private static final Instant BAD_MTIME = Instant.now().minusSeconds(7200);
    private static int planted;

    private static Path plant(RoarProcess roar, Maker maker) throws Exception {
        String id = PayloadBuilder.newEventId();
        return plantNamed(roar, id, maker.make(id));
    }

    private static Path plantNamed(RoarProcess roar, String name, byte[] bytes) throws Exception {
        Files.createDirectories(roar.queue());
        Path file = Files.write(roar.queue().resolve(name + ".json"), bytes);
        Files.setLastModifiedTime(file, FileTime.from(BAD_MTIME.plusSeconds(planted++)));
        return file;
    }

    private static Path plantWith(RoarProcess roar, Placer placer) throws Exception {
        String id = PayloadBuilder.newEventId();
        Files.createDirectories(roar.queue());
        Path file = roar.queue().resolve(id + ".json");
        placer.place(id, file);
        return file;
    }

    private static byte[] event(String id) {
        return Faults.goodEvent(id, 1);
    }

    @SuppressWarnings("unchecked")
    private static byte[] rewrite(byte[] event, java.util.function.Consumer<Map<String, Object>> change) throws IOException {
        Map<String, Object> payload = Json.parseObject(event);
        payload.put("platform", new TreeMap<>((Map<String, Object>) payload.get("platform")));
        payload.put("subcommand_counts", new TreeMap<>((Map<String, Object>) payload.get("subcommand_counts")));
        change.accept(payload);
        return Json.write(payload); // canonical bytes: only the allowlist can tell
    }

    private static byte[] replaceFirst(byte[] event, String what, byte[] with) {
        String text = new String(event, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(what);
        byte[] out = new byte[event.length - what.length() + with.length];
        System.arraycopy(event, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(event, at + what.length(), out, at + with.length, event.length - at - what.length());
        return out;
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (Path p : Faults.entries(dir, "*")) {
            files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return files;
    }

    private static Path globalFile(RoarProcess roar) { return roar.globalConfig(); }
    private static Path systemFile(RoarProcess roar) { return roar.root().resolve("etc-xdg/roar/global.toml"); }
    private static Path projectFile(RoarProcess roar) { return roar.workDir().resolve(".roar/config.toml"); }

    private static byte[] write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return bytes;
    }

    private static byte[] link(Path file, Path target) throws IOException {
        Files.createDirectories(file.getParent());
        Files.createSymbolicLink(file, target);
        return new byte[0];
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo " + path);
    }

    private static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase(java.util.Locale.ROOT);
    }
}
