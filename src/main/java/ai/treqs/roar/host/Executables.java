package ai.treqs.roar.host;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.ExitCode;

/**
 * Decides, from the file itself and before anything starts, whether {@code roar run} can execute a
 * command (127 missing, 126 not executable: docs/host-commands.md#the-child), the way a shell does: a name with a slash is
 * a path from the working directory, any other name is looked up on the child's {@code PATH}. The JDK's
 * error text is never parsed: its wording differs between JDK 17 and 25.
 */
final class Executables {
    /** What execvp(3) searches when {@code PATH} is unset. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    /** Why a command cannot run; empty when it can. */
    record Problem(int exitCode, String why) {}

    private Executables() {}

    static Optional<Problem> problem(String command, Optional<String> path, Path workingDirectory) {
        if (command.isEmpty()) {
            return Optional.of(notFound());
        }
        try {
            if (command.indexOf('/') >= 0) {
                return judge(workingDirectory.resolve(command)).map(p -> p == NOT_THERE ? noSuchFile() : p);
            }
            Problem first = null;
            for (String dir : path.orElse(DEFAULT_PATH).split(":", -1)) {
                Path candidate = (dir.isEmpty() ? workingDirectory : workingDirectory.resolve(dir)).resolve(command);
                Optional<Problem> p = judge(candidate);
                if (p.isEmpty()) {
                    return Optional.empty();
                }
                if (p.get() != NOT_THERE && first == null) {
                    first = p.get(); // like a shell: a later executable of the same name still wins
                }
            }
            return Optional.of(first != null ? first : notFound());
        } catch (InvalidPathException e) {
            return Optional.of(noSuchFile());
        }
    }

    /**
     * Where a program roar itself starts (git, setsid) is: the first executable regular file of that name in an
     * absolute entry of {@code path} ({@link #DEFAULT_PATH} when unset). Empty and relative entries are skipped:
     * unlike the user's command, a helper never comes from the working directory, which may be a repository
     * someone else wrote (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory).
     */
    static Optional<Path> helper(String name, Optional<String> path) {
        for (String dir : path.orElse(DEFAULT_PATH).split(":", -1)) {
            try {
                if (!dir.startsWith("/")) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                // an entry Java cannot name: skipped
            }
        }
        return Optional.empty();
    }

    private static final Problem NOT_THERE = new Problem(ExitCode.RUN_NOT_FOUND.code(), "no such file or directory");

    private static Optional<Problem> judge(Path file) {
        if (!Files.exists(file)) {
            return Optional.of(NOT_THERE);
        }
        if (Files.isDirectory(file)) {
            return Optional.of(new Problem(ExitCode.RUN_NOT_EXECUTABLE.code(), "is a directory"));
        }
        if (!Files.isExecutable(file)) {
            return Optional.of(new Problem(ExitCode.RUN_NOT_EXECUTABLE.code(), "permission denied"));
        }
        return Optional.empty();
    }

    private static Problem notFound() {
        return new Problem(ExitCode.RUN_NOT_FOUND.code(), "command not found");
    }

    private static Problem noSuchFile() {
        return new Problem(ExitCode.RUN_NOT_FOUND.code(), "no such file or directory");
    }
}
