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

    /** What the dirty check found. */
    sealed interface DirtyCheck {
        /** Clean, or no git, no repository, a git that failed or ran out of time: nothing to refuse. */
        record Clean() implements DirtyCheck {}
        record Dirty() implements DirtyCheck {}
        /** git was not started: {@code why} says which file would have made it wait. */
        record CannotTell(String why) implements DirtyCheck {}
    }

    static DirtyCheck check(ChildProcesses processes, Path dir) {
        Optional<String> blocking = GitFiles.blocking(dir);
        if (blocking.isPresent()) {
            return new DirtyCheck.CannotTell(blocking.get());
        }
        return isDirty(processes, dir) ? new DirtyCheck.Dirty() : new DirtyCheck.Clean();
    }

    /** No git installed, no repository, or a configuration git cannot be run safely with: not dirty. */
    private static boolean isDirty(ChildProcesses processes, Path dir) {
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

    /** Whether {@code file} (relative to {@code dir}) is tracked by git there; no git, no repository or a file git would wait on: not tracked. */
    static boolean isTracked(ChildProcesses processes, Path dir, String file) {
        if (GitFiles.blocking(dir).isPresent()) {
            return false; // git would wait on a FIFO: not asked
        }
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
