package ai.treqs.roar.telemetry.upload;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.control.ActionResult;

/** {@code --flush}: the uploader in the foreground, because the user asked; exits 0 even when the endpoint is down. */
@ApplicationScoped
public class FlushService {

    @Inject Uploader uploader;
    @Inject ConfigLoader configLoader;

    public ActionResult flush() throws IOException {
        // resolved as any command run here resolves it: a project's enabled = false or endpoint = "" holds (§2)
        return ActionResult.ok(uploader.run(configLoader::forCommand).summary() + "\n");
    }
}
