package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.env.ProcessEnvironment;

/** A helper git that never finishes (a repository's config includes a FIFO) is given up on, and says no. */
class HelperBoundTest {
    @TempDir Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void gitBlockedOnAFifoIncludeIsKilledAndTheAnswerIsNo() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        run(repo, "git", "init", "-q");
        run(repo, "mkfifo", ".git/blocks");
        run(repo, "git", "config", "include.path", "blocks");
        ChildProcesses processes = new HostBindings().childProcesses(new ProcessEnvironment());

        ChildProcesses.Captured listing = processes.capture(SafeGit.LIST_FILTERS, repo, SafeGit.ENVIRONMENT, Duration.ofMillis(500));
        assertEquals(-1, listing.exitCode());
        ChildProcesses.Captured status = processes.capture(SafeGit.command(java.util.Set.of(), "status", "--porcelain"),
                repo, SafeGit.ENVIRONMENT, Duration.ofMillis(500));
        assertEquals(-1, status.exitCode());
    }

    @Test
    void aHelperThatFinishesInTimeAnswers() throws Exception {
        ChildProcesses.Captured echo = new HostBindings().childProcesses(new ProcessEnvironment())
                .capture(List.of("sh", "-c", "printf yes"), dir, Map.of("X", ""), Duration.ofSeconds(30));
        assertEquals(new ChildProcesses.Captured(0, "yes"), echo);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        p.waitFor(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), String.join(" ", command));
    }
}
