package ai.treqs.roar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.treqs.roar.telemetry.Recording;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import ai.treqs.roar.telemetry.policy.RunOutcome;

/**
 * docs/performance.md#record--queue: what a finished command costs in-process. {@code recordAndQueue}: a successful
 * {@code roar init} is counted and fires its {@code init} milestone, so one event is built, serialised and
 * queued (stats lock + read + write+fsync+rename, queue write+fsync+link). {@code recordOnly}: a steady-state
 * {@code roar run} (its milestones are past), counters only. {@code queued}: the events already waiting; at
 * 1,000 the queue is full, so each new event first drops the oldest and the queue stays full.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TelemetryBench {
    @Param({"0", "1000"})
    public int queued;

    private BenchInstall install;
    private Telemetry telemetry;

    private static final CommandOutcome INIT = CommandOutcome.succeeded("init");
    private static final CommandOutcome RUN = CommandOutcome.run(RunOutcome.SUCCESS, "disabled");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        install = new BenchInstall();
        telemetry = install.telemetry();
        for (int i = 0; i < 4; i++) { // the install's first-seen and first three run milestones
            telemetry.record(RUN);
        }
        Recording probe = telemetry.record(INIT);
        if (!(probe instanceof Recording.Recorded r) || r.queued().size() != 1) {
            throw new IllegalStateException("record(init) should queue one event, got " + probe);
        }
        if (!(telemetry.record(RUN) instanceof Recording.Recorded steady) || !steady.queued().isEmpty()) {
            throw new IllegalStateException("a steady-state run should queue nothing");
        }
        BenchInstall.deleteTree(install.paths.queueDir());
        fill(install.paths.queueDir(), queued);
    }

    /** {@code count} queued events, the oldest two days old. */
    private static void fill(Path dir, int count) throws IOException {
        SecureFiles.ensureDirectory(dir);
        Instant start = Instant.now().minus(2, ChronoUnit.DAYS);
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            Path file = dir.resolve(id + EventQueue.SUFFIX);
            Files.write(file, BenchInstall.event(id));
            Files.setLastModifiedTime(file, FileTime.from(start.plusSeconds(i)));
        }
    }

    /** Keeps the queue as it was (empty; a full one stays full by itself) so every invocation measures the same thing. */
    @TearDown(Level.Invocation)
    public void restoreQueue() throws IOException {
        if (queued == 0) {
            BenchInstall.deleteTree(install.paths.queueDir());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        install.close();
    }

    @Benchmark
    public Recording recordAndQueue() {
        return telemetry.record(INIT);
    }

    @Benchmark
    public Recording recordOnly() {
        return telemetry.record(RUN);
    }
}
