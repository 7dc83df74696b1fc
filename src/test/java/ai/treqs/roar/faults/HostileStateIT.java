package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/security.md#state-files-locks-and-the-queue, tried as an attacker or an unlucky machine would:
 * links, FIFOs and directories where roar keeps its state, a flooded queue, hostile stats content,
 * JVM options in the environment, and an opt-out racing a running command.
 */
@ExtendWith(AwaitUploaders.class)
class HostileStateIT {
    private static final String PATH = "/api/v1/telemetry/roar";

    @TempDir Path root;

    // ---- 11.2: JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS ------------------------------------

    @Test
    @NativeSkips.JvmOnly("JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS are read by a JVM at start; a native "
            + "executable has no JVM to read them")
    void jvmOptionVariablesNeverReachTheDetachedUploader() throws Exception {
        Path agent = markerAgentJar(root.resolve("agent.jar"));
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            Path home = Files.createDirectories(root.resolve(variable));
            Path marker = home.resolve("agent-ran.txt");
            try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
                RoarProcess roar = Faults.install(home, collector.url(PATH))
                        .env(variable, "-javaagent:" + agent + "=" + marker);
                RoarProcess.Result init = Faults.run(roar, "init", "--no-gitignore");
                assertEquals(0, init.exitCode(), init.stderr());
                // the uploader ran to its end: it delivered, or (at load 30 on 2 cores) its first POST hit the 5 s deadline
                Path lastAttempt = roar.cache().resolve("last-attempt");
                assertTrue(RoarProcess.await(Duration.ofSeconds(90), () -> collector.requests().size() >= 3 || Files.exists(lastAttempt)),
                        () -> variable + ": the detached uploader never finished a run; " + diagnosis(roar, collector));
                System.out.println("jvm options: " + variable + " uploader finished; " + diagnosis(roar, collector));
                List<String> ran = Files.readAllLines(marker);
                System.out.println("jvm options: " + variable + " agent ran in " + ran);
                assertTrue(ran.stream().anyMatch(l -> l.contains(" init")), "the user's own JVM runs it: " + ran);
                awaitNoUploader(home);
                assertFalse(Files.readString(marker).contains("__upload"), variable + " reached the uploader: " + ran);
            }
        }
        Results.row("JVM option variables (-javaagent) in JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS", 3,
                "the uploader ran to its end each time; the agent never ran in it", 0, 0);
    }

    @Test
    @NativeSkips.JvmOnly("JAVA_TOOL_OPTIONS (here a JDWP agent) is read by a JVM at start; a native executable has none")
    void aSuspendingDebuggerInJavaToolOptionsDoesNotHangTheUploader() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url(PATH))
                    .env("JAVA_TOOL_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");
            ProcessBuilder builder = roar.builder("init", "--no-gitignore")
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Process init = builder.start();
            // the user's own JVM waits for a debugger too: play that debugger and let it go on
            String listening = Faults.readLine(init);
            assertTrue(listening != null && listening.startsWith("Listening for transport dt_socket at address: "), listening);
            int port = Integer.parseInt(listening.substring(listening.lastIndexOf(' ') + 1).strip());
            try (java.net.Socket debugger = Jdwp.resume(port)) {
                init.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                assertTrue(init.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, init.exitValue());
                // not suspended: the uploader ran to its end (on a loaded machine its first POST may time out,
                // which is a finished, failed attempt and not a hang)
                Path lastAttempt = roar.cache().resolve("last-attempt");
                assertTrue(RoarProcess.await(Duration.ofSeconds(90), () -> collector.requests().size() >= 3 || Files.exists(lastAttempt)),
                        () -> "the uploader never finished a run; " + diagnosis(roar, collector));
                System.out.println("jdwp suspend=y: the uploader finished; " + diagnosis(roar, collector));
            }
            awaitNoUploader(root);
        }
        Results.row("-agentlib:jdwp=...,suspend=y in JAVA_TOOL_OPTIONS", 1, "the uploader ran to its end; no suspended JVM left", 0, 0);
    }

    // ---- roar init (docs/reliability.md#hostile-directories-state-files) ---------------------------------

    @Test
    void initRefusesLinksAndMakesReadableProjectFilesWhateverTheUmask() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path keys = Files.writeString(outside.resolve("authorized_keys"), "ssh-ed25519 AAAA user@host\n");

        Path project = Files.createDirectories(root.resolve("p1"));
        Files.createSymbolicLink(project.resolve(".gitignore"), keys);
        RoarProcess.Result linkedIgnore = Faults.run(roar.cwd(project), "init");
        assertEquals(1, linkedIgnore.exitCode(), linkedIgnore.stdout());
        assertEquals(1, linkedIgnore.stderr().strip().lines().count(), linkedIgnore.stderr());
        assertTrue(linkedIgnore.stderr().contains("is a symbolic link"), linkedIgnore.stderr());
        assertEquals("ssh-ed25519 AAAA user@host\n", Files.readString(keys), "nothing appended through the link");
        assertFalse(Files.exists(project.resolve(".roar")), "a refusal writes nothing at all");
        Faults.assertNoStackTrace(linkedIgnore, "init with a linked .gitignore");

        Path project2 = Files.createDirectories(root.resolve("p2"));
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(project2.resolve(".roar"), elsewhere);
        RoarProcess.Result linkedRoar = Faults.run(roar.cwd(project2), "init", "--no-gitignore");
        assertEquals(1, linkedRoar.exitCode(), linkedRoar.stdout());
        assertEquals(1, linkedRoar.stderr().strip().lines().count(), linkedRoar.stderr());
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing created through the .roar link");
        }

        Path project3 = Files.createDirectories(root.resolve("p3"));
        RoarProcess.Result init = Faults.run(roar.cwd(project3), List.of("/bin/sh", "-c", "umask 000; exec \"$@\"", "sh"), "init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertEquals("rwxr-xr-x", mode(project3.resolve(".roar")));
        assertEquals("rw-r--r--", mode(project3.resolve(".roar/config.toml")));
        assertEquals("rw-r--r--", mode(project3.resolve(".gitignore")));
        System.out.println("init under umask 000: .roar " + mode(project3.resolve(".roar")) + ", config.toml "
                + mode(project3.resolve(".roar/config.toml")) + ", .gitignore " + mode(project3.resolve(".gitignore")));
        Results.row("roar init: .gitignore or .roar a symlink; umask 000", 3,
                "refused in one line (exit 1), nothing written through; 0755/0644", 0, 0);
    }

    @Test
    void initSaysToCommitATrackedGitignore() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        Path repo = Files.createDirectories(root.resolve("repo"));
        Files.writeString(repo.resolve(".gitignore"), "build/\n");
        git(repo, "init", "-q");
        git(repo, "add", ".gitignore");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "ignore");
        RoarProcess.Result init = Faults.run(roar.cwd(repo), "init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertTrue(init.stdout().contains("Added .roar/ to .gitignore: commit it before roar run\n"), init.stdout());

        Path plain = Files.createDirectories(root.resolve("plain"));
        RoarProcess.Result untracked = Faults.run(roar.cwd(plain), "init");
        assertTrue(untracked.stdout().contains("Added .roar/ to " + plain.resolve(".gitignore") + "\n"), untracked.stdout());
    }

    // ---- 11.5: a symlinked queue directory ----------------------------------------------------------

    @Test
    void aSymlinkedQueueDirectoryIsNeverReadWrittenOrDeletedThrough() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url(PATH));
            Path userDir = Files.createDirectories(root.resolve("user-files"));
            Files.writeString(userDir.resolve("thesis.json"), "{\"chapter\": 1}\n");
            Files.writeString(userDir.resolve("notes.txt"), "keep me\n");
            Files.write(userDir.resolve("event.json"), Faults.goodEvent("event", 1)); // even a valid event is not ours
            Files.createDirectories(roar.cache());
            Files.createSymbolicLink(roar.queue(), userDir);

            RoarProcess.Result run = Faults.run(roar, "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("", run.stderr(), "skipped quietly");
            RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
            System.out.println("symlinked queue: " + status.stdout().lines().findFirst().orElse(""));
            assertTrue(status.stdout().startsWith("Telemetry: enabled (cannot record: " + roar.queue() + " is a symbolic link)\n"),
                    status.stdout());
            RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            RoarProcess.Result disable = Faults.run(roar, "telemetry", "--disable");
            assertEquals(0, disable.exitCode(), disable.stderr());
            try (Stream<Path> files = Files.list(userDir)) {
                assertEquals(3, files.count(), "the user's files behind the link survive");
            }
            assertEquals("keep me\n", Files.readString(userDir.resolve("notes.txt")));
            assertTrue(Files.isSymbolicLink(roar.queue()));
            assertEquals(0, collector.requests().size(), "nothing read through the link was sent");
            assertFalse(Files.exists(roar.stats()), "that run's telemetry was skipped");
        }
        Results.row("queue directory is a symlink to the user's files", 4, "run, --status, --flush, --disable: nothing read, sent or deleted through it", 0, 0);
    }

    // ---- 11.6: FIFOs and links at the lock files ----------------------------------------------------

    @Test
    void fifoAndSymlinkLockFilesNeitherHangNorWriteElsewhere() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url(PATH));
            Files.createDirectories(roar.cache());
            mkfifo(roar.cache().resolve("stats.lock"));
            RoarProcess.Result run = runWithin(roar, Duration.ofSeconds(60), "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            System.out.println("FIFO at stats.lock: roar run -- true took " + run.wall().toMillis() + " ms");
            assertTrue(run.wall().toSeconds() < 30, "returned promptly");
            Files.delete(roar.cache().resolve("stats.lock"));

            mkfifo(roar.cache().resolve(".lock"));
            for (int i = 0; i < 3; i++) {
                assertEquals(0, runWithin(roar, Duration.ofSeconds(60), "run", "--allow-dirty", "--", "true").exitCode());
            }
            RoarProcess.Result flush = runWithin(roar, Duration.ofSeconds(60), "telemetry", "--flush");
            assertEquals(0, flush.exitCode(), flush.stderr());
            Thread.sleep(2000); // time for an uploader the commands started (there should be none) to reach the lock
            int hung = uploaders(root).size();
            System.out.println("FIFO at .lock: 3 commands and a --flush left " + hung + " uploader processes");
            assertEquals(0, hung, "no hung uploaders accumulate");
            Files.delete(roar.cache().resolve(".lock"));

            Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
            Files.createSymbolicLink(roar.cache().resolve("stats.lock"), elsewhere.resolve("stats-through-link"));
            Files.createSymbolicLink(roar.cache().resolve(".lock"), elsewhere.resolve("lock-through-link"));
            assertEquals(0, runWithin(roar, Duration.ofSeconds(60), "run", "--allow-dirty", "--", "true").exitCode());
            assertEquals(0, runWithin(roar, Duration.ofSeconds(60), "telemetry", "--flush").exitCode());
            awaitNoUploader(root);
            try (Stream<Path> files = Files.list(elsewhere)) {
                assertEquals(List.of(), files.toList(), "nothing created through a linked lock");
            }
        }
        Results.row("FIFO or symlink at stats.lock / .lock", 7, "prompt exit, no hung uploader, nothing created through a link", 0, 0);
    }

    // ---- 11.7: retention skips what it cannot remove -------------------------------------------------

    @Test
    void aStaleNonEmptyDirectoryInTheQueueStopsNoUpload() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url(PATH));
            Map<String, byte[]> good = Faults.plantGoodEvents(roar, 3, Instant.now().minusSeconds(60));
            Path stale = Files.createDirectories(roar.queue().resolve("x.json"));
            Files.writeString(stale.resolve("inside"), "a file inside\n");
            Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
            RoarProcess.Result flush = Faults.run(roar, "telemetry", "--flush");
            System.out.println("stale directory in the queue: flush says \"" + flush.stdout().strip() + "\"");
            assertEquals(0, flush.exitCode(), flush.stderr());
            assertTrue(flush.stdout().startsWith("Uploaded 3, "), flush.stdout());
            assertEquals(good.keySet(), new java.util.TreeSet<>(Faults.receivedIds(collector, PATH)));
            assertTrue(Files.isDirectory(stale), "what cannot be removed is skipped");
        }
        Results.row("non-empty directory x.json older than 7 days in the queue", 1, "--flush exit 0, 3/3 delivered, directory skipped", 0, 0);
    }

    // ---- 11.8 + 11.15: stats.json validated as the payload will be -----------------------------------

    @Test
    void statsThatCouldNeverBeSentAreMovedAsideAndANewInstallBegins() throws Exception {
        RoarProcess roar = Faults.install(root, "");
        String validId = "0b7c9a54-0f7e-4b0e-9d7a-3c6f9b1e2a11";
        Map<String, String> hostile = Map.of(
                "infinite unknown field", stats(validId, "2026-11-01T10:00:00Z", "\"extra\":1e400,"),
                "install_id not a UUID", stats("alice@laptop.local", "2026-11-01T10:00:00Z", ""),
                "first_seen not a timestamp", stats(validId, "yesterday", ""),
                "counter out of range", stats(validId, "2026-11-01T10:00:00Z", "").replace("\"init\":2", "\"init\":9007199254740993"));
        for (Map.Entry<String, String> c : hostile.entrySet()) {
            Files.createDirectories(roar.cache());
            try (Stream<Path> old = Files.list(roar.cache())) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(roar.stats(), c.getValue());
            RoarProcess.Result print = Faults.run(roar, "telemetry", "--print");
            assertFalse(print.stdout().contains("alice") || print.stdout().contains("yesterday"), c.getKey() + ": " + print.stdout());
            RoarProcess.Result run = Faults.run(roar, "run", "--allow-dirty", "--", "true");
            assertEquals(0, run.exitCode(), run.stderr());
            Map<String, Object> now = Faults.stats(roar);
            assertNotEquals(validId, now.get("install_id"), c.getKey() + ": a fresh install");
            assertTrue(String.valueOf(now.get("install_id")).matches("[0-9a-f-]{36}"), c.getKey());
            assertEquals(1L, ((Map<?, ?>) now.get("subcommand_counts")).get("run"), c.getKey() + ": recorded");
            try (Stream<Path> aside = Files.list(roar.cache())) {
                assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith("stats.json.corrupt-")).count(),
                        c.getKey() + ": moved aside");
            }
            RoarProcess.Result again = Faults.run(roar, "run", "--allow-dirty", "--", "true");
            assertEquals(0, again.exitCode());
            assertEquals(2L, ((Map<?, ?>) Faults.stats(roar).get("subcommand_counts")).get("run"), c.getKey() + ": counting goes on");
        }
        Results.row("stats.json: 1e400 in an unknown field, non-UUID install_id, bad first_seen, counter > 2^53", 4,
                "moved aside, fresh install, recording goes on; --print never shows it", 0, 0);
    }

    private static String stats(String installId, String firstSeen, String extra) {
        return "{" + extra + "\"stats_schema_version\":1,\"install_id\":\"" + installId + "\",\"first_seen\":\"" + firstSeen
                + "\",\"updated_at\":\"2026-11-01T10:00:00Z\",\"sequence\":4,\"version_milestones\":{},"
                + "\"subcommand_counts\":{\"init\":2},\"tracer_selections\":{},\"feature_capabilities\":{}}";
    }

    // ---- 11.9: a flooded queue ----------------------------------------------------------------------

    @Test
    void aFloodedQueueCostsTheForegroundABoundedAmount() throws Exception {
        RoarProcess roar = Faults.install(root, "http://127.0.0.1:9" + PATH);
        Files.createDirectories(roar.queue());
        int flood = 100_000;
        long made = System.nanoTime();
        byte[] junk = "{}".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < flood; i++) {
            Files.write(roar.queue().resolve(String.format("%08d-flood.json", i)), junk);
        }
        System.out.printf("flood: %d files made in %d ms%n", flood, (System.nanoTime() - made) / 1_000_000);
        Faults.recentFailedAttempt(roar); // no background uploader: only the foreground's own work is measured
        Faults.run(roar, "run", "--allow-dirty", "--", "true"); // first run: a new install, files warm
        List<Long> on = new ArrayList<>();
        List<Long> off = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            on.add(Faults.run(roar.without("DO_NOT_TRACK"), "run", "--allow-dirty", "--", "true").wall().toMillis());
            off.add(Faults.run(roar.env("DO_NOT_TRACK", "1"), "run", "--allow-dirty", "--", "true").wall().toMillis());
        }
        roar.without("DO_NOT_TRACK");
        long left;
        try (Stream<Path> files = Files.list(roar.queue())) {
            left = files.filter(p -> p.getFileName().toString().endsWith("-flood.json")).count();
        }
        on.sort(null);
        off.sort(null);
        long removed = flood - left;
        System.out.printf("flood: roar run -- true with %d queued, median of 3: telemetry on %d ms, DO_NOT_TRACK=1 %d ms "
                + "(on %s, off %s, side by side in one run); queue files removed by 4 commands: %d%n", flood, on.get(1),
                off.get(1), on, off, removed);
        assertTrue(removed <= 4 * 100, "each command touches a bounded number of entries: " + removed);
        assertTrue(on.get(1) - off.get(1) < 1500, "telemetry's work stays bounded: " + on + " vs " + off);
        Results.row("100,000 files in the queue, roar run -- true", 4, "median " + on.get(1) + " ms on vs " + off.get(1)
                + " ms with DO_NOT_TRACK=1; " + removed + " files removed in 4 commands", 0, 0);
    }

    // ---- 11.10: --disable racing a running command -----------------------------------------------------

    @Test
    void disableRacingACommandThatWaitsForTheStatsLockLeavesNoIdentity() throws Exception {
        RoarProcess roar = Faults.install(root, "http://127.0.0.1:9" + PATH);
        Faults.recentFailedAttempt(roar);
        assertEquals(0, Faults.run(roar, "run", "--allow-dirty", "--", "true").exitCode());
        String installId = (String) Faults.stats(roar).get("install_id");
        Process command;
        try (FileChannel channel = FileChannel.open(roar.cache().resolve("stats.lock"), StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            command = Faults.start(roar, "run", "--allow-dirty", "--", "true");
            // the command checked "enabled" and now waits for the stats lock in its roar-lock-wait thread
            assertTrue(RoarProcess.await(Duration.ofSeconds(30), () -> hasThread(command.pid(), "roar-lock-wait")),
                    "the command reached the stats lock");
            Process disable = Faults.start(roar, "telemetry", "--disable");
            assertTrue(RoarProcess.await(Duration.ofSeconds(30), () -> globalSaysDisabled(roar)), "--disable wrote global.toml");
            Thread.sleep(300); // an unlocked --disable has deleted everything by now; a locking one waits for us
            held.release();
            assertTrue(disable.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, disable.exitValue());
        }
        assertTrue(command.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, command.exitValue());
        assertFalse(Files.exists(roar.stats()), "the command did not write the identity back");
        assertEquals(Map.of(), Faults.queued(roar), "nothing queued after the opt-out");
        try (Stream<Path> files = Files.walk(roar.cache())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(installId), p + " still holds the install id");
                assertFalse(text.matches("(?s).*\"install_id\".*"), p + " holds an install id");
            }
        }
        Results.row("--disable while a command waits for the stats lock", 1, "nothing written back: no stats, no queue", 0, 0);
    }

    // ---- --disable says what it removed, --history remembers ----------------------------------------

    @Test
    void disableSaysWhatItRemovedAndHistoryKeepsAnAnonymousLine() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url(PATH));
            Faults.plantGoodEvents(roar, 3, Instant.now().minusSeconds(60));
            RoarProcess.Result first = Faults.run(roar, "telemetry", "--flush");
            assertTrue(first.stdout().startsWith("Uploaded 3"), first.stdout() + first.stderr());
            Faults.plantGoodEvents(roar, 2, Instant.now().minusSeconds(30));
            RoarProcess.Result disable = Faults.run(roar, "telemetry", "--disable");
            assertEquals(0, disable.exitCode(), disable.stderr());
            assertTrue(disable.stdout().endsWith("Deleted 2 queued events, the install ID and the upload history.\n"), disable.stdout());
            List<String> ledger = Files.readAllLines(roar.cache().resolve("sent.jsonl"));
            System.out.println("after --disable the ledger is: " + ledger);
            assertEquals(1, ledger.size());
            assertFalse(ledger.get(0).contains("install_id") || ledger.get(0).contains("event_id"), ledger.get(0));
            Map<String, Object> line = ai.treqs.roar.telemetry.io.Json.parseObject(ledger.get(0).getBytes(StandardCharsets.UTF_8));
            assertEquals(3L, line.get("sent"));
            assertEquals(List.of("http://127.0.0.1:" + collector.port() + PATH), line.get("endpoints"));
            RoarProcess.Result history = Faults.run(roar, "telemetry", "--history");
            assertTrue(history.stdout().matches("Telemetry disabled at \\S+Z; 3 events had been sent between \\S+Z and \\S+Z to "
                    + "http://127\\.0\\.0\\.1:" + collector.port() + "/api/v1/telemetry/roar\\.\n"), history.stdout());

            assertEquals(0, Faults.run(roar, "telemetry", "--enable").exitCode());
            Faults.plantGoodEvents(roar, 1, Instant.now().minusSeconds(10));
            assertTrue(Faults.run(roar, "telemetry", "--flush").stdout().startsWith("Uploaded 1"));
            List<String> after = Faults.run(roar, "telemetry", "--history").stdout().lines().toList();
            assertEquals(2, after.size(), String.valueOf(after));
            assertTrue(after.get(1).startsWith("Telemetry disabled at "), "enabling again appends: " + after);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String diagnosis(RoarProcess roar, Collector collector) {
        StringBuilder out = new StringBuilder("requests " + collector.requests().size() + ", state:");
        try (Stream<Path> files = Files.walk(roar.cache())) {
            files.forEach(p -> out.append(' ').append(roar.cache().relativize(p)));
            Path last = roar.cache().resolve("last-attempt");
            if (Files.exists(last)) {
                out.append("; last-attempt ").append(Files.readString(last).strip());
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            out.append(" (").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private static Path markerAgentJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), MarkerAgent.class.getName());
        String entry = MarkerAgent.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = MarkerAgent.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** Detached uploaders of this test's install (their environment names its cache), alive now. */
    private static List<Long> uploaders(Path installRoot) {
        String cache = "XDG_CACHE_HOME=" + installRoot.resolve("cache");
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
                if (!cmdline.contains("__upload")) {
                    return;
                }
                String environ = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "environ"), StandardCharsets.ISO_8859_1);
                if (("\0" + environ).contains("\0" + cache + "\0")) {
                    found.add(p.pid());
                }
            } catch (IOException | RuntimeException e) {
                // gone, or another user's process
            }
        });
        return found;
    }

    private static void awaitNoUploader(Path installRoot) throws InterruptedException {
        assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> uploaders(installRoot).isEmpty()),
                "uploaders still running: " + uploaders(installRoot));
    }

    private static boolean hasThread(long pid, String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean globalSaysDisabled(RoarProcess roar) {
        try {
            return Files.readString(roar.globalConfig()).contains("enabled = false");
        } catch (IOException e) {
            return false;
        }
    }

    private static RoarProcess.Result runWithin(RoarProcess roar, Duration bound, String... args) throws Exception {
        Process p = Faults.start(roar, args);
        long start = System.nanoTime();
        boolean done = p.waitFor(bound.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "roar " + String.join(" ", args) + " hung for " + bound.toSeconds() + " s");
        return new RoarProcess.Result(p.exitValue(), "", "", Duration.ofNanos(System.nanoTime() - start));
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** Just enough of the JDWP wire protocol to let a suspended JVM run: handshake, then VirtualMachine.Resume. */
    static final class Jdwp {
        private Jdwp() {}

        static java.net.Socket resume(int port) throws IOException {
            java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
            byte[] handshake = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(handshake);
            assertEquals(new String(handshake, StandardCharsets.US_ASCII),
                    new String(socket.getInputStream().readNBytes(handshake.length), StandardCharsets.US_ASCII));
            // the VM_START event first: the JVM sends it once it has suspended itself, so a Resume sent before it
            // could find nothing to resume and the JVM would then wait for ever (seen on a loaded machine)
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            int length = in.readInt();
            in.readNBytes(length - 4);
            // length 11, id 1, flags 0, command set 1 (VirtualMachine), command 9 (Resume)
            socket.getOutputStream().write(new byte[] {0, 0, 0, 11, 0, 0, 0, 1, 0, 1, 9});
            socket.getOutputStream().flush();
            in.readNBytes(11); // the reply
            return socket;
        }
    }
}
