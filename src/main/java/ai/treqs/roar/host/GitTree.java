package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the working directory is inside a git work tree with uncommitted changes to tracked files. git runs
 * through {@link SafeGit}: nothing the repository configures starts a program.
 */
final class GitTree {

    private GitTree() {}

    /** No git installed, no repository, or a configuration git cannot be run safely with: not dirty. */
    static boolean isDirty(ChildProcesses processes, Path dir) {
        try {
            ChildProcesses.Captured listing = processes.capture(SafeGit.LIST_FILTERS, dir, SafeGit.ENVIRONMENT, SafeGit.BOUND);
            if (listing.exitCode() != 0 && listing.exitCode() != 1) { // 1: no filter.* key
                return false;
            }
            Optional<Set<String>> drivers = SafeGit.filterDrivers(listing.exitCode() == 0 ? listing.stdout() : "");
            if (drivers.isEmpty()) {
                return false;
            }
            ChildProcesses.Captured status = processes.capture(SafeGit.command(drivers.get(), "status", "--porcelain",
                    "--untracked-files=no", "--ignore-submodules=all", "--no-renames"), dir, SafeGit.ENVIRONMENT, SafeGit.BOUND);
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
            return processes.capture(SafeGit.command(Set.of(), "ls-files", "--error-unmatch", "--", file), dir,
                    SafeGit.ENVIRONMENT, SafeGit.BOUND).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
