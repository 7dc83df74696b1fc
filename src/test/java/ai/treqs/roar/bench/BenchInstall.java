package ai.treqs.roar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import ai.treqs.roar.cli.StderrMessages;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.SuppressionDetector;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.payload.PayloadBuilder;
import ai.treqs.roar.telemetry.payload.Platform;
import ai.treqs.roar.telemetry.policy.TriggerPolicy;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.Stats;
import ai.treqs.roar.telemetry.stats.StatsStore;

/**
 * A throwaway install for the in-process benchmarks: HOME and XDG dirs under a temp root (in
 * {@code -Droar.bench.dir}, else java.io.tmpdir), the real stores on disk, telemetry on with an endpoint on a closed loopback port (nothing is ever sent: the
 * upload starter does nothing).
 */
final class BenchInstall implements AutoCloseable {
    final Path root;
    final Environment env;
    final RoarPaths paths;
    final Clock clock = Clock.systemUTC();

    BenchInstall() throws IOException {
        String dir = System.getProperty("roar.bench.dir");
        root = dir == null ? Files.createTempDirectory("roar-bench-") : Files.createTempDirectory(Path.of(dir), "roar-bench-");
        Files.createDirectories(root.resolve("home"));
        Files.createDirectories(root.resolve("work"));
        env = Environment.of(Map.of(
                "HOME", root.resolve("home").toString(),
                "XDG_CONFIG_HOME", root.resolve("config").toString(),
                "XDG_CACHE_HOME", root.resolve("cache").toString(),
                "XDG_CONFIG_DIRS", root.resolve("etc-xdg").toString(),
                "ROAR_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/api/v1/telemetry/roar"));
        paths = RoarPaths.resolve(env);
    }

    /** The facade wired as in production, minus CDI; the upload starter starts nothing. */
    Telemetry telemetry() {
        ConfigLoader config = new ConfigLoader(env, () -> root.resolve("work"), new SuppressionDetector(List.of()),
                Optional.empty(), new StderrMessages());
        return new Telemetry(config, new StatsStore(clock), new EventQueue(clock), new TriggerPolicy(),
                () -> false, clock, () -> true, new StderrMessages());
    }

    /** One canonical schema-1 event as the foreground queues it. */
    static byte[] event(String eventId) {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Stats stats = Stats.fresh(now);
        stats.incrementSubcommand("run");
        stats.incrementSubcommand("run_success");
        stats.incrementTracer("disabled");
        stats.setFeatureCapabilities(Map.of("glaas_endpoint_kind", "default_dev", "blake3_available", false,
                "ebpf_supported", true, "proxy_enabled", false, "ray_enabled", false, "osmo_enabled", false));
        return Json.write(PayloadBuilder.build(stats, Trigger.FIRST_SUCCESSFUL_ROAR_RUN, 1, eventId, now, "0.3.0",
                Platform.of(System.getProperty("os.name"), System.getProperty("os.arch"))));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        deleteTree(root);
    }
}
