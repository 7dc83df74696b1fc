package ai.treqs.roar.telemetry.control;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.queue.EventQueue;
import ai.treqs.roar.telemetry.upload.UploadReport;
import ai.treqs.roar.telemetry.upload.Uploader;

/**
 * {@code --flush}: the uploader in the foreground, because the user asked; exits 0 even when the endpoint is
 * down. A user who typed it wants the queue sent: an upload already running is waited for (one run's
 * length at most), then what it left is drained.
 */
@ApplicationScoped
public class FlushAction {

    @Inject Uploader uploader;
    @Inject EventQueue queue;
    @Inject ConfigLoader configLoader;

    /** What the run did; a storage failure is a reason nothing was sent. */
    public UploadReport flush() {
        UploadReport report;
        try {
            // resolved as any command run here resolves it: a project's enabled = false or endpoint = "" holds (docs/telemetry.md#precedence)
            report = uploader.run(configLoader::forCommand, Uploader.FLUSH_LOCK_WAIT);
        } catch (IOException e) {
            report = couldNotSend(IoMessages.describe(e));
        } catch (UncheckedIOException e) {
            report = couldNotSend(IoMessages.describe(e));
        }
        return report;
    }

    /** Storage that cannot be used (read-only, full) is a reason nothing was sent, not a failure of --flush (docs/telemetry.md#upload-mechanics). */
    private UploadReport couldNotSend(String why) {
        return UploadReport.notRun(why, queue.count(configLoader.paths().queueDir()));
    }
}
