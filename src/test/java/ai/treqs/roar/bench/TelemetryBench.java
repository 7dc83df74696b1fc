package ai.treqs.roar.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.treqs.roar.telemetry.Recording;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import ai.treqs.roar.telemetry.policy.RunOutcome;

/**
 * docs/performance.md#record--queue: what a finished command costs in-process. {@code recordAndQueue}: a successful
 * {@code roar init} is counted and fires its {@code init} milestone, so one event is built, serialised and
 * queued (stats lock + read + write+fsync+rename, queue write+fsync+link). {@code recordOnly}: a steady-state
 * {@code roar run} (its milestones are past), counters only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TelemetryBench {
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
        emptyQueue();
    }

    /** Keeps the queue near empty so every invocation measures the same thing. */
    @TearDown(Level.Invocation)
    public void emptyQueue() throws IOException {
        BenchInstall.deleteTree(install.paths.queueDir());
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
