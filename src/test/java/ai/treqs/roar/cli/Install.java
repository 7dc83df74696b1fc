package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.TestFiles;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/**
 * A clean install under a fresh temp directory for each test, as a JUnit extension:
 * {@code @RegisterExtension final Install install = Install.recording();} replaces the {@code @TempDir}
 * plus {@link TestHost#isolate} preamble. It also hands test methods an {@link InProcessCli}. The files are
 * read the way a user (or a reviewer) would look at them: queued events, stats, config, and whole-tree
 * snapshots for "nothing was created or changed".
 */
final class Install implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    /** A loopback endpoint nothing listens on; in-process tests never start a real upload anyway. */
    static final String ENDPOINT = "http://127.0.0.1:9/x";

    private final boolean recording;
    /** The temp directory of the running test: HOME, XDG dirs and the working directory {@code work/} are under it. */
    Path root;

    private Install(boolean recording) {
        this.recording = recording;
    }

    /** A clean install ({@link TestHost#isolate}): no CI markers, no endpoint set. */
    static Install isolated() {
        return new Install(false);
    }

    /** A clean install that records to a loopback endpoint. */
    static Install recording() {
        return new Install(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("roar-test-");
        TestHost.isolate(root);
        if (recording) {
            TestHost.put("ROAR_TELEMETRY_ENDPOINT", ENDPOINT);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        TestFiles.deleteTree(root);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == InProcessCli.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new InProcessCli();
    }

    Path work() { return root.resolve("work"); }
    Path configDir() { return root.resolve("config/roar"); }
    Path global() { return configDir().resolve("global.toml"); }
    Path sentinel() { return configDir().resolve(".telemetry-disclosed"); }
    Path systemDir() { return root.resolve("etc-xdg/roar"); }
    Path system() { return systemDir().resolve("global.toml"); }
    Path telemetryDir() { return root.resolve("cache/roar/telemetry"); }
    Path queueDir() { return telemetryDir().resolve("queue"); }
    Path stats() { return telemetryDir().resolve("stats.json"); }
    Path lastAttempt() { return telemetryDir().resolve("last-attempt"); }
    Path ledger() { return telemetryDir().resolve("sent.jsonl"); }

    void writeGlobal(String toml) {
        write(global(), toml);
    }

    void writeSystem(String toml) {
        write(system(), toml);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The queued events, parsed, in the order of their sequence numbers. */
    List<Map<String, Object>> queued() {
        List<Map<String, Object>> events = new ArrayList<>();
        if (!Files.isDirectory(queueDir())) {
            return events;
        }
        try (Stream<Path> files = Files.list(queueDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                events.add(Json.parseObject(Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.sort(Comparator.comparing(e -> (Long) e.get("sequence")));
        return events;
    }

    /** The triggers of the queued events, in sequence order. */
    List<String> queuedTriggers() {
        return queued().stream().map(e -> (String) e.get("trigger")).toList();
    }

    Map<String, Object> statsJson() {
        try {
            return Json.parseObject(Files.readAllBytes(stats()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    /** Every file and directory under the temp root with its exact bytes: for "nothing created, nothing changed". */
    Map<String, String> snapshot() {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    all.put(name + "/", "<dir>");
                } else {
                    // ISO-8859-1 maps every byte to one char: equal strings mean equal bytes
                    all.put(name, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The project version from the pom (surefire runs in the project directory). */
    static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>roar</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read(Path.of("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no project version in pom.xml");
        }
        return m.group(1);
    }

    /** No stack trace reached the user on either stream (docs/architecture.md#the-fail-quiet-boundary). */
    static void assertNoStackTrace(LaunchResult result) {
        for (String stream : List.of(result.getOutput(), result.getErrorOutput())) {
            assertFalse(stream.contains("Exception"), stream);
            assertFalse(stream.contains("\tat "), stream);
        }
    }

    /** Exactly one line on stderr (usage and failure messages of the CLI). */
    static void assertOneErrorLine(LaunchResult result) {
        assertEquals(1, nonEmpty(result.getErrorStream()).size(), result.getErrorOutput());
    }

    /** A usage error's layout: one {@code roar:} line, then where help is ({@code Try 'roar telemetry --help' ...}). */
    static void assertUsageError(LaunchResult result, String command) {
        List<String> err = nonEmpty(result.getErrorStream());
        assertEquals(2, err.size(), result.getErrorOutput());
        assertEquals(true, err.get(0).startsWith("roar: "), err.get(0));
        assertEquals("Try '" + command + " --help' for more information.", err.get(1));
    }

    static List<String> nonEmpty(List<String> lines) {
        return lines.stream().filter(l -> !l.isEmpty()).toList();
    }
}
