package ai.treqs.roar.telemetry.upload;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.control.ActionResult;

/**
 * {@code --flush}: the uploader in the foreground, because the user asked; exits 0 even when the endpoint is
 * down. A user who typed it wants the queue sent: an upload already running is waited for (one run's
 * length at most), then what it left is drained.
 */
@ApplicationScoped
public class FlushService {

    @Inject Uploader uploader;

    public ActionResult flush() throws IOException {
        return ActionResult.ok(uploader.run(Uploader.FLUSH_LOCK_WAIT).summary() + "\n");
    }
}
