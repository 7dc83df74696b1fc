package ai.treqs.roar.telemetry.upload;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Starts processes: the seam that lets tests see what would be started. */
public interface ProcessLauncher {

    /** Starts {@code command} detached: stdin, stdout and stderr to the null device; never waited for. */
    void startDetached(List<String> command, Map<String, String> environment) throws IOException;
}
