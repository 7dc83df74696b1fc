package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.stats.TelemetryState;

/**
 * Drains the queue to the collector (docs/telemetry.md#upload-mechanics), one run at a time under {@code .lock}: oldest
 * first, delete only on 204, stop at the first connection failure or timeout, 30 s at most.
 */
@ApplicationScoped
public class Uploader {
    static final Duration RUN_BOUND = Duration.ofSeconds(30);
    /** What a run that reached {@link #RUN_BOUND} says about itself; not a failure when it delivered (docs/telemetry.md#upload-mechanics). */
    static final String STOPPED_AT_BOUND = "reached the 30 s run bound";
    /**
     * POSTs on their way at once: one per connection of the pool, so none waits for a connection while its
     * deadline runs, and a server that closes after every answer never sees more than this many at once.
     */
    static final int IN_FLIGHT = CollectorConnection.MAX_CONNECTIONS;
    /** How long {@code --flush} waits for an upload already running: one run, plus its last request's deadline. */
    public static final Duration FLUSH_LOCK_WAIT = RUN_BOUND.plus(CollectorConnection.REQUEST_DEADLINE);

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Environment env;
    @Inject Clock clock;

    /** The detached uploader: project files were applied when events were queued (docs/telemetry.md#upload-mechanics); a run in progress means nothing to do. */
    public UploadReport run() throws IOException {
        return run(configLoader::forUploader, Duration.ZERO);
    }

    /**
     * A run whose configuration comes from {@code resolve}, asked at the start and again before each POST
     * ({@code --flush} passes the resolution of a command run where it runs, so a project's opt-out holds);
     * {@code lockWait} is how long to wait for a run already in progress ({@code --flush} waits for it, then
     * drains what is left).
     */
    public UploadReport run(Supplier<EffectiveConfig> resolve, Duration lockWait) throws IOException {
        EffectiveConfig config = resolve.get();
        RoarPaths paths = configLoader.paths();
        Optional<String> notOurs = TelemetryState.notOurs(paths);
        if (notOurs.isPresent()) {
            return UploadReport.notRun("not roar's own file: " + notOurs.get(), 0); // nothing read or deleted through it
        }
        // every run and --flush, even one that sends nothing (docs/telemetry.md#upload-mechanics); it skips what it cannot remove
        queue.applyRetention(paths.queueDir());
        if (!config.uploadsEnabled()) {
            return UploadReport.notRun(config.noUploadReason().orElse("uploads disabled"), queue.count(paths.queueDir()));
        }
        if (!EventQueue.isOwnDirectory(paths.queueDir())) {
            return new UploadReport(0, 0, 0, Optional.empty());
        }
        long waitStart = System.nanoTime();
        Optional<FileLocks.Held> lock = FileLocks.acquire(paths.uploaderLock(), Duration.ZERO);
        Optional<Duration> waited = Optional.empty();
        if (lock.isEmpty() && !lockWait.isZero()) {
            lock = FileLocks.acquire(paths.uploaderLock(), lockWait);
            waited = Optional.of(Duration.ofNanos(System.nanoTime() - waitStart));
        }
        if (lock.isEmpty()) {
            // "kept 0" here would tell the user the queue is empty while another run is draining it
            String why = lockWait.isZero() ? "another upload is running"
                    : "another upload is still running after " + lockWait.toSeconds() + " s";
            return UploadReport.notRun(why, queue.count(paths.queueDir()));
        }
        try (FileLocks.Held held = lock.get()) {
            // the run that held the lock may have turned uploads off or emptied the queue meanwhile
            EffectiveConfig now = waited.isPresent() ? resolve.get() : config;
            if (!now.uploadsEnabled()) {
                return UploadReport.notRun(now.noUploadReason().orElse("uploads disabled"), queue.count(paths.queueDir()))
                        .afterWaiting(waited);
            }
            return drain(paths, now, resolve).afterWaiting(waited);
        }
    }

    private UploadReport drain(RoarPaths paths, EffectiveConfig config, Supplier<EffectiveConfig> resolve) throws IOException {
        Run run = new Run(config, resolve, System.nanoTime() + RUN_BOUND.toNanos());
        ProxySettings.Route route = ProxySettings.route(env, run.endpoint);
        if (route instanceof ProxySettings.Route.Refused refused) {
            // a proxy the user set but roar cannot use: nothing goes out, and never around it (docs/proxies-and-ledger.md)
            run.failed = true;
            run.stop = "endpoint unreachable: " + refused.problem();
            finish(paths, resolve, run.delivered, true, run.stop);
            return new UploadReport(0, queue.count(paths.queueDir()), 0, Optional.of(run.stop));
        }
        Optional<ProxySettings> proxy = route instanceof ProxySettings.Route.Via via ? Optional.of(via.proxy()) : Optional.empty();
        List<EventQueue.Entry> entries = queue.entries(paths.queueDir());
        try (CollectorConnection connection = new CollectorConnection(run.endpoint, proxy)) {
            // the 30 s bound the network part of the run: creating the client is the uploader's own
            // warm-up, which a loaded machine stretches to many seconds (docs/reliability.md#odd-places-the-uploader)
            run.deadlineNanos = System.nanoTime() + RUN_BOUND.toNanos();
            Deque<InFlight> window = new ArrayDeque<>(IN_FLIGHT);
            for (EventQueue.Entry entry : entries) {
                if (run.stop != null) {
                    break;
                }
                long left = run.deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    run.stop = STOPPED_AT_BOUND;
                    break;
                }
                QueuedFile.Verdict verdict = QueuedFile.inspect(entry.file());
                if (verdict instanceof QueuedFile.Verdict.Remove) {
                    run.removed += remove(entry.file()) ? 1 : 0;
                    continue;
                }
                if (!(verdict instanceof QueuedFile.Verdict.Send send)) {
                    continue;
                }
                Optional<String> changed = run.configChange();
                if (changed.isPresent()) {
                    run.stop = changed.get();
                    break;
                }
                window.add(new InFlight(entry.file(), send, connection.post(send.body())));
                if (window.size() >= run.windowLimit()) {
                    settle(run, window.poll());
                }
            }
            // requests already on their way are settled: a 204 among them was delivered and is deleted
            while (!window.isEmpty()) {
                settle(run, window.poll());
            }
        } finally {
            // docs/telemetry.md#when-the-uploader-starts: an attempt failed when it delivered nothing because of a failure; one that
            // delivered and then met trouble or the run bound did not
            finish(paths, run.resolve, run.delivered, run.failed && run.uploaded == 0, run.reason());
        }
        int kept = queue.count(paths.queueDir());
        return new UploadReport(run.uploaded, kept, run.removed, Optional.ofNullable(run.reason()));
    }

    /** A POST sent and not yet settled. */
    private record InFlight(Path file, QueuedFile.Verdict.Send event, CollectorConnection.Pending pending) {}

    private void settle(Run run, InFlight inFlight) throws IOException {
        CollectorConnection.Sent sent = inFlight.pending().await(run.deadlineNanos);
        if (sent instanceof CollectorConnection.Sent.Answered answered && answered.status() == 204) {
            Files.deleteIfExists(inFlight.file());
            run.uploaded++;
            run.delivered.add(new Ledger.Line(clock.instant(), Ledger.displayEndpoint(run.endpoint), inFlight.event().payload()));
        } else if (sent instanceof CollectorConnection.Sent.Answered answered) {
            run.failed = true; // kept for next time; the next event may still go through
            run.refused = run.refused == null ? UploadReport.refusedBy(answered.status()) : run.refused;
        } else if (sent instanceof CollectorConnection.Sent.Unreachable unreachable) {
            run.failed = true;
            String why = unreachable.why().equals(AnswerBound.TOO_LONG) ? unreachable.why() : "endpoint unreachable: " + unreachable.why();
            run.stop = run.stop == null ? why : run.stop;
        } else {
            run.failed = true; // cut by the run bound: a failure only if nothing was delivered
            run.stop = run.stop == null ? STOPPED_AT_BOUND : run.stop;
        }
    }

    /** The state of one drain. */
    private final class Run {
        final String endpoint;
        final Supplier<EffectiveConfig> resolve;
        long deadlineNanos;
        final List<Ledger.Line> delivered = new ArrayList<>();
        int uploaded;
        int removed;
        boolean failed;
        String stop;
        String refused;
        private List<Object> configStamp;

        Run(EffectiveConfig config, Supplier<EffectiveConfig> resolve, long deadlineNanos) {
            this.endpoint = config.endpoint();
            this.resolve = resolve;
            this.deadlineNanos = deadlineNanos;
            this.configStamp = configStamp();
        }

        /**
         * One POST at a time until the collector has answered a 204 in this run, then {@link #IN_FLIGHT}: a
         * server that accepts and never answers receives one event per run (which a later run sends again),
         * not eight.
         */
        int windowLimit() {
            return uploaded > 0 ? IN_FLIGHT : 1;
        }

        String reason() {
            return stop != null ? stop : refused;
        }

        /**
         * Config is re-checked before each POST (docs/telemetry.md#upload-mechanics). The environment of a running process does
         * not change, so only the global and system files can: they are re-read when their stamp moved.
         */
        Optional<String> configChange() {
            List<Object> stamp = configStamp();
            if (stamp.equals(configStamp)) {
                return Optional.empty();
            }
            configStamp = stamp;
            EffectiveConfig now = resolve.get();
            if (!now.uploadsEnabled()) {
                return Optional.of(now.noUploadReason().orElse("uploads disabled"));
            }
            return now.endpoint().equals(endpoint) ? Optional.empty() : Optional.of("endpoint changed");
        }

        private List<Object> configStamp() {
            RoarPaths current = configLoader.paths();
            List<Object> stamp = new ArrayList<>(4);
            stamp.add(current.systemConfig());
            stamp.add(fileStamp(current.systemConfig().orElse(null)));
            stamp.add(fileStamp(current.globalConfig()));
            return stamp;
        }
    }

    /** Size, mtime and identity of a file; an atomic rename changes the identity even within one clock tick. */
    private static List<Object> fileStamp(Path file) {
        if (file == null) {
            return List.of();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Arrays.asList(a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (IOException e) {
            return List.of("absent");
        }
    }

    /** The ledger and last-attempt are written only while telemetry is still on (a --disable may have run). */
    private void finish(RoarPaths paths, Supplier<EffectiveConfig> resolve, List<Ledger.Line> delivered, boolean failed, String stop) throws IOException {
        if (!resolve.get().statsEnabled()) {
            return;
        }
        Ledger.append(paths.ledger(), delivered, clock.instant());
        new LastAttempt(clock.instant(), failed, stop == null ? "ok" : stop).write(paths.lastAttempt());
    }

    /** Deletes a symlink itself, never its target; a non-empty directory named *.json stays and is skipped. */
    private static boolean remove(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
