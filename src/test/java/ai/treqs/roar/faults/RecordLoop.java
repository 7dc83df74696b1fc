package ai.treqs.roar.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import ai.treqs.roar.cli.StderrMessages;
import ai.treqs.roar.telemetry.Recording;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.env.ProcessEnvironment;
import ai.treqs.roar.telemetry.env.SuppressionDetector;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import ai.treqs.roar.telemetry.policy.TriggerPolicy;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.StatsStore;

/**
 * Test-only driver: records commands in a loop through the real {@link Telemetry} facade (real
 * config loading, stats store, queue; the process environment and working directory), without a
 * JVM start per command, so 8 × 100 recordings or 100 kills at random moments fit in CI time.
 * It starts no uploader.
 *
 * <p>{@code RecordLoop COUNT [GO_FILE]}: records {@code COUNT} successful {@code roar init}s (0 =
 * until killed), each one a stats transaction plus one queued event. Prints {@code ready} once set up
 * and, with {@code GO_FILE}, waits for that file before the first recording (so several loops start
 * together); with COUNT 0 it prints {@code recording} after the first one. Ends with {@code recorded=N skipped=N failed=N reasons={...} slowest=Nms} (the slowest after the first).
 */
public final class RecordLoop {

    private RecordLoop() {}

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        Optional<Path> go = args.length > 1 ? Optional.of(Path.of(args[1])) : Optional.empty();
        Clock clock = Clock.systemUTC();
        ProcessEnvironment env = new ProcessEnvironment();
        Path cwd = Path.of("").toAbsolutePath();
        ConfigLoader config = new ConfigLoader(env, () -> cwd, new SuppressionDetector(List.of()), Optional.empty(),
                new StderrMessages());
        Telemetry telemetry = new Telemetry(config, new StatsStore(clock), new EventQueue(clock), new TriggerPolicy(),
                () -> false, clock, () -> false, new StderrMessages());

        System.out.println("ready");
        System.out.flush();
        while (go.isPresent() && !Files.exists(go.get())) {
            Thread.sleep(2);
        }
        long recorded = 0;
        long skipped = 0;
        long failed = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        long slowestNanos = 0;
        for (long i = 0; count == 0 || i < count; i++) {
            long start = System.nanoTime();
            Recording recording = telemetry.record(CommandOutcome.succeeded("init"));
            if (i > 0) { // the first one also loads the classes
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
            }
            if (count == 0 && i == 0) {
                System.out.println("recording"); // warmed up: a kill from now on lands in the steady loop
                System.out.flush();
            }
            if (recording instanceof Recording.Recorded) {
                recorded++;
            } else if (recording instanceof Recording.Skipped s) {
                skipped++;
                reasons.merge(s.reason(), 1, Integer::sum);
            } else if (recording instanceof Recording.Failed f) {
                failed++;
                reasons.merge(f.kind(), 1, Integer::sum);
            }
        }
        System.out.println("recorded=" + recorded + " skipped=" + skipped + " failed=" + failed + " reasons=" + reasons
                + " slowest=" + slowestNanos / 1_000_000 + "ms");
    }
}
