package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.testing.RoarProcess;

/**
 * Shared steps of the end-to-end tests: a fresh install that can never reach the real endpoint, reading
 * what the program left on disk, and seeding the queue with valid events made by the real program.
 */
final class E2e {
    static final String ENDPOINT_VARIABLE = "ROAR_TELEMETRY_ENDPOINT";
    static final String PATH = "/api/v1/telemetry/roar";
    static final List<String> PAYLOAD_KEYS = List.of("payload_schema_version", "stats_schema_version", "event_id",
            "install_id", "sequence", "first_seen", "trigger", "trigger_ts", "counters_as_of", "version", "platform",
            "subcommand_counts", "tracer_selections", "feature_capabilities");

    /** An independent JSON reader/writer (Jackson), so the tests do not trust the serialiser they check. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private E2e() {}

    /**
     * A fresh install in {@code root}: scrubbed environment, and an empty endpoint so that nothing is
     * queued or sent unless a test points it at a loopback collector (the build's default endpoint is
     * the production one).
     */
    static RoarProcess install(Path root) throws IOException {
        return new RoarProcess(root).env(ENDPOINT_VARIABLE, "");
    }

    static Map<String, Object> json(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, new TypeReference<TreeMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Compact JSON with sorted keys: the canonical form the queue files use. */
    static byte[] canonical(Map<String, Object> value) {
        try {
            return MAPPER.writeValueAsBytes(new TreeMap<>(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> stats(RoarProcess roar) throws IOException {
        return json(Files.readAllBytes(roar.stats()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    static Path lastAttempt(RoarProcess roar) {
        return roar.cache().resolve("last-attempt");
    }

    static Path ledger(RoarProcess roar) {
        return roar.cache().resolve("sent.jsonl");
    }

    static List<String> ledgerLines(RoarProcess roar) {
        try {
            if (!Files.exists(ledger(roar))) {
                return List.of();
            }
            return Files.readAllLines(ledger(roar), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of(); // replaced while read: the caller polls again
        }
    }

    /** Every entry of the queue directory (any kind, any name), by name. */
    static List<Path> queueEntries(RoarProcess roar) throws IOException {
        if (!Files.isDirectory(roar.queue())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(roar.queue())) {
            return entries.sorted().toList();
        }
    }

    /** The queued events (regular {@code *.json} files) with their bytes, by file name. */
    static Map<String, byte[]> queued(RoarProcess roar) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (Path p : queueEntries(roar)) {
            String name = p.getFileName().toString();
            if (name.endsWith(".json") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    files.put(name, Files.readAllBytes(p));
                } catch (java.nio.file.NoSuchFileException e) {
                    // an uploader removed it meanwhile
                }
            }
        }
        return files;
    }

    static int queuedCount(RoarProcess roar) {
        try {
            return queued(roar).size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A loopback URL on which nothing listens: connections are refused at once. */
    static String refusingUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + PATH;
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        assertTrue(RoarProcess.await(timeout, condition), "timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }

    /**
     * Waits until no uploader holds the uploader lock ({@code .lock} in the cache): the run that sent
     * what the test saw has ended, so nothing more can arrive from it.
     */
    static void awaitUploaderDone(RoarProcess roar, Duration timeout) throws IOException {
        try (FileLocks.Held idle = FileLocks.acquire(roar.cache().resolve(".lock"), timeout).orElseThrow(
                () -> new AssertionError("an uploader still holds .lock after " + timeout.toSeconds() + " s"))) {
            // held for a moment only: the lock was free, so no upload run is in progress
        }
    }

    static byte[] withEventId(byte[] body, String oldId, String newId) {
        String text = new String(body, StandardCharsets.UTF_8);
        String replaced = text.replace("\"event_id\":\"" + oldId + "\"", "\"event_id\":\"" + newId + "\"");
        assertTrue(!replaced.equals(text), "event_id not found in the template");
        return replaced.getBytes(StandardCharsets.UTF_8);
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
