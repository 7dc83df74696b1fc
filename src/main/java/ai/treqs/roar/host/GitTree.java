package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Whether the working directory is inside a git work tree with uncommitted changes to tracked files. */
final class GitTree {

    private GitTree() {}

    /** No git installed, or no repository: not dirty. */
    static boolean isDirty(ChildProcesses processes, Path dir) {
        try {
            ChildProcesses.Captured status = processes.capture(
                    List.of("git", "status", "--porcelain", "--untracked-files=no"), dir);
            return status.exitCode() == 0 && !status.stdout().isBlank();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code file} (relative to {@code dir}) is tracked by git there; no git or no repository: not tracked. */
    static boolean isTracked(ChildProcesses processes, Path dir, String file) {
        try {
            return processes.capture(List.of("git", "ls-files", "--error-unmatch", "--", file), dir).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
