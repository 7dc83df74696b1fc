package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.config.EffectiveConfig;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.queue.EventQueue;

/**
 * Drains the queue to the collector (contract §7), one run at a time under {@code .lock}: oldest
 * first, delete only on 204, stop at the first connection failure or timeout, 30 s at most.
 */
@ApplicationScoped
public class Uploader {
    static final Duration RUN_BOUND = Duration.ofSeconds(30);

    @Inject ConfigLoader configLoader;
    @Inject EventQueue queue;
    @Inject Environment env;
    @Inject Clock clock;

    public UploadReport run() throws IOException {
        EffectiveConfig config = configLoader.forUploader();
        RoarPaths paths = configLoader.paths();
        if (!config.uploadsEnabled()) {
            return UploadReport.notRun(config.noUploadReason().orElse("uploads disabled"), queue.count(paths.queueDir()));
        }
        if (!Files.isDirectory(paths.queueDir())) {
            return new UploadReport(0, 0, 0, Optional.empty());
        }
        Optional<FileLocks.Held> lock = FileLocks.acquire(paths.uploaderLock(), Duration.ZERO);
        if (lock.isEmpty()) {
            // "kept 0" here would tell the user the queue is empty while another run is draining it
            return UploadReport.notRun("another upload is running", queue.count(paths.queueDir()));
        }
        try (FileLocks.Held held = lock.get()) {
            return drain(paths, config);
        }
    }

    private UploadReport drain(RoarPaths paths, EffectiveConfig config) throws IOException {
        long deadline = System.nanoTime() + RUN_BOUND.toNanos();
        queue.applyRetention(paths.queueDir());
        List<EventQueue.Entry> entries = queue.entries(paths.queueDir());
        List<Ledger.Line> delivered = new ArrayList<>();
        int uploaded = 0;
        int removed = 0;
        boolean failed = false;
        String stop = null;
        String refused = null;
        String endpoint = config.endpoint();
        try (CollectorConnection connection = new CollectorConnection(endpoint, ProxySettings.forEndpoint(env, endpoint))) {
            for (EventQueue.Entry entry : entries) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stop = "run time limit of 30 s reached";
                    break;
                }
                QueuedFile.Verdict verdict = QueuedFile.inspect(entry.file());
                if (verdict instanceof QueuedFile.Verdict.Remove) {
                    removed += remove(entry.file()) ? 1 : 0;
                    continue;
                }
                if (!(verdict instanceof QueuedFile.Verdict.Send send)) {
                    continue;
                }
                EffectiveConfig now = configLoader.forUploader();
                if (!now.uploadsEnabled() || !now.endpoint().equals(endpoint)) {
                    stop = now.noUploadReason().orElse("endpoint changed");
                    break;
                }
                Duration requestDeadline = Duration.ofNanos(Math.min(left, CollectorConnection.REQUEST_DEADLINE.toNanos()));
                CollectorConnection.Sent sent = connection.post(send.body(), requestDeadline);
                if (sent instanceof CollectorConnection.Sent.Answered answered && answered.status() == 204) {
                    Files.deleteIfExists(entry.file());
                    uploaded++;
                    delivered.add(new Ledger.Line(clock.instant(), Ledger.displayEndpoint(endpoint), send.payload()));
                } else if (sent instanceof CollectorConnection.Sent.Answered answered) {
                    failed = true; // kept for next time; the next event may still go through
                    refused = refused == null ? "collector answered HTTP " + answered.status() : refused;
                } else {
                    failed = true;
                    stop = "endpoint unreachable: " + ((CollectorConnection.Sent.Unreachable) sent).why();
                    break;
                }
            }
        } finally {
            finish(paths, delivered, failed, stop != null ? stop : refused);
        }
        int kept = queue.count(paths.queueDir());
        return new UploadReport(uploaded, kept, removed, Optional.ofNullable(stop != null ? stop : refused));
    }

    /** The ledger and last-attempt are written only while telemetry is still on (a --disable may have run). */
    private void finish(RoarPaths paths, List<Ledger.Line> delivered, boolean failed, String stop) throws IOException {
        if (!configLoader.forUploader().statsEnabled()) {
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
