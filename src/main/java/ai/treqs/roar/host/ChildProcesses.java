package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the user's command and the small helper commands (git) roar needs: the seam tests replace. */
public interface ChildProcesses {

    /** A started child that shares roar's terminal. */
    interface Child {
        int waitFor() throws InterruptedException;
        /** Sends SIGTERM. */
        void terminate();
        /** Sends SIGHUP. */
        void hangUp();
    }

    Child start(List<String> command, Path workingDirectory, Map<String, String> environment) throws IOException;

    /** Runs a helper to completion and returns its exit code and stdout; stderr is discarded. */
    record Captured(int exitCode, String stdout) {}

    /**
     * {@code environmentChanges} are set over roar's own environment for this helper only. A helper still
     * running after {@code bound} is killed and answers exit code -1 (a FIFO a repository names can block git).
     */
    Captured capture(List<String> command, Path workingDirectory, Map<String, String> environmentChanges, Duration bound)
            throws IOException, InterruptedException;
}
