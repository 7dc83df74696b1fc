package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import ai.treqs.roar.telemetry.config.BuildDefaults;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.payload.PayloadBuilder;
import ai.treqs.roar.telemetry.payload.Platform;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;
import ai.treqs.roar.telemetry.upload.LastAttempt;
import ai.treqs.roar.telemetry.upload.QueuedFile;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * What the fault suite shares: running the packaged CLI (with the launcher's JVM flags and start-up cache,
 * through {@link RoarProcess}), the {@link RecordLoop} driver, valid events made the way the
 * payload builder makes them, and checks of what is on disk and what reached a collector.
 */
final class Faults {
    /** The RecordLoop JVM's flags: C1 and the serial GC, the same code at a cheaper start on a 2-core machine. */
    static final List<String> CHEAP_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s*at [\\w.$/]+\\(.*\\)$|^Caused by: |Exception in thread|^[\\w.$]+(Exception|Error)(:|$)");

    private Faults() {}

    /** A fresh install under {@code root} whose uploads go to {@code endpoint} (null: the build default). */
    static RoarProcess install(Path root, String endpoint) throws IOException {
        RoarProcess roar = new RoarProcess(root);
        if (endpoint != null) {
            roar.env("ROAR_TELEMETRY_ENDPOINT", endpoint);
        }
        return roar;
    }

    /** {@code roar args...}; {@code prefix} runs it through e.g. setpriv. */
    static RoarProcess.Result run(RoarProcess roar, List<String> prefix, String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = roar.builder(args);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(builder.command());
        builder.command(command);
        return finish(builder, String.join(" ", args));
    }

    static RoarProcess.Result run(RoarProcess roar, String... args) throws IOException, InterruptedException {
        return run(roar, List.of(), args);
    }

    /** Starts {@code roar args...}, output to files under the install root. */
    static Process start(RoarProcess roar, String... args) throws IOException {
        return roar.builder(args).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Files.createTempFile(roar.root(), "out", ".txt").toFile())
                .redirectError(Files.createTempFile(roar.root(), "err", ".txt").toFile())
                .start();
    }

    static RoarProcess.Result finish(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Path out = Files.createTempFile("roar-out", ".txt");
        Path err = Files.createTempFile("roar-err", ".txt");
        try {
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in 120 s");
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            return new RoarProcess.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), wall);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ---- the RecordLoop driver ----------------------------------------------------------------

    /** The failsafe JVM's class path (a manifest-only booter jar works as well as a plain list). */
    static String testClassPath() {
        return Path.of("target/classes").toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath()
                + ":" + System.getProperty("java.class.path");
    }

    /** A JVM running {@link RecordLoop} on {@code roar}'s install, with its scrubbed environment. */
    static Process startRecordLoop(RoarProcess roar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(RoarProcess.javaBinary()));
        command.addAll(CHEAP_JVM);
        command.addAll(List.of("-cp", testClassPath(), RecordLoop.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(roar.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().clear();
        builder.environment().putAll(roar.environment());
        return builder.start();
    }

    /** Reads one line of a process's stdout (e.g. {@code ready}) byte by byte, so nothing after it is consumed. */
    static String readLine(Process process) throws IOException {
        java.io.InputStream in = process.getInputStream();
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        return c < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    // ---- state on disk ------------------------------------------------------------------------

    /** A valid schema-1 event, built the way the payload builder builds one. */
    static byte[] goodEvent(String eventId, long sequence) {
        Instant now = Instant.now();
        Stats stats = Stats.fresh(now);
        stats.incrementSubcommand("init");
        stats.setFeatureCapabilities(Map.of("glaas_endpoint_kind", "default_dev", "blake3_available", false,
                "ebpf_supported", false, "proxy_enabled", false, "ray_enabled", false, "osmo_enabled", false));
        return Json.write(PayloadBuilder.build(stats, Trigger.INIT, sequence, eventId, now,
                BuildDefaults.load().version(), Platform.of(System.getProperty("os.name"), System.getProperty("os.arch"))));
    }

    /** Queues {@code count} valid events directly (as an earlier roar run would have), oldest first. */
    static Map<String, byte[]> plantGoodEvents(RoarProcess roar, int count, Instant oldest) throws IOException {
        Map<String, byte[]> planted = new TreeMap<>();
        SecureFiles.ensureDirectory(roar.queue());
        for (int i = 0; i < count; i++) {
            String id = PayloadBuilder.newEventId();
            byte[] body = goodEvent(id, i + 1);
            Path file = roar.queue().resolve(id + ".json");
            Files.write(file, body);
            Files.setLastModifiedTime(file, FileTime.from(oldest.plusSeconds(i)));
            planted.put(id, body);
        }
        return planted;
    }

    /** Every queued {@code *.json}, by event id (file name), as bytes. */
    static Map<String, byte[]> queued(RoarProcess roar) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(roar.queue())) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(roar.queue(), "*.json")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    String name = file.getFileName().toString();
                    files.put(name.substring(0, name.length() - 5), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    /** Names of every entry in {@code dir} that starts with {@code prefix} (none when dir is missing). */
    static List<Path> entries(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(found::add);
        }
        return found;
    }

    /** Null when the queued file would be sent as it is, else why not. */
    static String invalidQueued(String eventId, byte[] bytes) {
        QueuedFile.Verdict verdict = QueuedFile.judge(eventId + ".json", bytes);
        return verdict instanceof QueuedFile.Verdict.Send ? null : verdict.toString();
    }

    /** Null when stats.json parses and validates (or is absent), else why not. */
    static String invalidStats(Path stats) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(stats);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable: " + e;
        }
        try {
            Stats.Parsed parsed = Stats.from(Json.parseObject(bytes));
            return parsed instanceof Stats.Parsed.Usable ? null : parsed.toString();
        } catch (IOException e) {
            return "not JSON (" + bytes.length + " bytes): " + e.getMessage();
        }
    }

    static Map<String, Object> stats(RoarProcess roar) throws IOException {
        return Json.parseObject(Files.readAllBytes(roar.stats()));
    }

    /** A failed upload attempt just now: the foreground then starts no background uploader for an hour (docs/telemetry.md#when-the-uploader-starts). */
    static void recentFailedAttempt(RoarProcess roar) throws IOException {
        SecureFiles.ensureDirectory(roar.cache());
        new LastAttempt(Instant.now(), true, "fault suite: no background uploader").write(roar.cache().resolve("last-attempt"));
    }

    static void assertNoStackTrace(RoarProcess.Result result, String what) {
        assertFalse(STACK_TRACE.matcher(result.stdout()).find(), what + ": stack trace on stdout:\n" + result.stdout());
        assertFalse(STACK_TRACE.matcher(result.stderr()).find(), what + ": stack trace on stderr:\n" + result.stderr());
    }

    // ---- what reached a collector -------------------------------------------------------------

    /** Event ids of the bodies a collector received on {@code path}, in order. */
    static List<String> receivedIds(Collector collector, String path) {
        List<String> ids = new ArrayList<>();
        for (Collector.Request r : collector.requests()) {
            if (r.path().equals(path)) {
                ids.add(eventId(r.body()));
            }
        }
        return ids;
    }

    /** Bytes a collector received on {@code path} that are not byte for byte one of the {@code allowed} events. */
    static long leakedBytes(Collector collector, String path, Map<String, byte[]> allowed) {
        long leaked = 0;
        for (Collector.Request r : collector.requests()) {
            if (!r.path().equals(path)) {
                continue;
            }
            byte[] expected = allowed.get(eventId(r.body()));
            if (expected == null || !java.util.Arrays.equals(expected, r.body())) {
                leaked += r.body().length;
            }
        }
        return leaked;
    }

    static String eventId(byte[] body) {
        try {
            return String.valueOf(Json.parseObject(body).get("event_id"));
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    // ---- running several cases at once --------------------------------------------------------

    /** Runs the tasks on {@code threads} threads and returns their results in order; rethrows the first failure. */
    static <T> List<T> parallel(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(10, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    throw (Error) e.getCause();
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
