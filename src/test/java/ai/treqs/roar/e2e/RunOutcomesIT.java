package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/** docs/host-commands.md#outcomes-and-exit-codes through the packaged program: every {@code roar run} outcome, its exit code and its counters. */
class RunOutcomesIT {

    @TempDir Path root;
    RoarProcess roar;

    @BeforeEach
    void freshInstall() throws IOException {
        roar = E2e.install(root);
    }

    @Test
    void successExitsZeroAndCountsRunSuccess() throws Exception {
        assertRun(0, "run_success", "disabled", "run", "--", "true");
    }

    @Test
    void anotherExitCodeIsAUserExitAndIsPassedOn() throws Exception {
        assertRun(3, "run_failed_user_exit", "disabled", "run", "--", "sh", "-c", "exit 3");
    }

    @Test
    void sigtermToRoarIsForwardedAndTheRunRecordedAsInterrupted() throws Exception {
        Path out = root.resolve("out.txt");
        Process process = roar.builder("run", "--", "sleep", "30").redirectOutput(out.toFile())
                .redirectError(Redirect.appendTo(out.toFile())).start();
        long start = System.nanoTime();
        E2e.await(Duration.ofSeconds(30), () -> process.descendants()
                .anyMatch(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)), "sleep started under roar");

        process.destroy(); // SIGTERM to roar only

        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "roar waited for its child and exited");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(143, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        assertTrue(seconds < 25, "the child was stopped, it did not sleep its 30 s");
        assertCounters("run_failed_interrupted", "disabled");
    }

    @Test
    void aChildEndedBySigintOrSigtermIsAnInterruption() throws Exception {
        assertRun(130, "run_failed_interrupted", "disabled", "run", "--", "sh", "-c", "exit 130");
    }

    @Test
    void aMissingCommandIsInternalWith127() throws Exception {
        RoarProcess.Result result = assertRun(127, "run_failed_internal", "disabled", "run", "--", "no-such-command-roar-e2e");
        assertTrue(result.stderr().contains("no-such-command-roar-e2e"), result.stderr());
    }

    @Test
    void aFileThatIsNotExecutableIsInternalWith126() throws Exception {
        Path script = roar.workDir().resolve("not-executable.sh");
        Files.writeString(script, "#!/bin/sh\necho should not run\n");
        RoarProcess.Result result = assertRun(126, "run_failed_internal", "disabled", "run", "--", "./not-executable.sh");
        assertTrue(result.stderr().contains("not-executable.sh"), result.stderr());
        assertTrue(!result.stdout().contains("should not run"));
    }

    @Test
    void aDirtyGitTreeIsRefusedWithExit125UnlessAllowed() throws Exception {
        Path repo = Files.createDirectories(root.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("tracked.txt"), "one\n");
        git(repo, "add", "tracked.txt");
        git(repo, "-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "commit", "-q", "-m", "one");
        Files.writeString(repo.resolve("tracked.txt"), "two\n");
        roar.cwd(repo);

        RoarProcess.Result refused = roar.run("run", "--", "sh", "-c", "echo ran");
        assertEquals(125, refused.exitCode(), refused.stderr());
        assertTrue(!refused.stdout().contains("ran"), "the command was not started");
        assertCounters("run_failed_dirty", "disabled");

        RoarProcess.Result allowed = roar.run("run", "--allow-dirty", "--", "sh", "-c", "echo ran");
        assertEquals(0, allowed.exitCode(), allowed.stderr());
        assertTrue(allowed.stdout().contains("ran"));
        Map<String, Object> counts = E2e.map(E2e.stats(roar), "subcommand_counts");
        assertEquals(Map.of("run", 2, "run_failed_dirty", 1, "run_success", 1), counts);
    }

    @Test
    void aTracerThisBuildCannotProvideIsRefusedWithExit125() throws Exception {
        RoarProcess.Result result = assertRun(125, "run_failed_tracer_setup", "ptrace", "run", "--tracer", "ptrace", "--", "true");
        assertTrue(result.stderr().contains("ptrace"), result.stderr());
    }

    @Test
    void theChildIsMarkedInstrumentedAndToldWhenTelemetryIsOff() throws Exception {
        String show = "echo \"I=$ROAR_JOB_INSTRUMENTED N=${ROAR_NO_TELEMETRY-unset} F=$FOO\"";
        roar.env("FOO", "bar");
        RoarProcess.Result on = roar.run("run", "--", "sh", "-c", show);
        assertEquals(0, on.exitCode(), on.stderr());
        assertEquals("I=1 N=unset F=bar", on.stdout().strip());

        RoarProcess.Result off = roar.env("DO_NOT_TRACK", "1").run("run", "--", "sh", "-c", show);
        assertEquals(0, off.exitCode(), off.stderr());
        assertEquals("I=1 N=1 F=bar", off.stdout().strip());
    }

    private RoarProcess.Result assertRun(int exit, String outcome, String tracer, String... args) throws Exception {
        RoarProcess.Result result = roar.run(args);
        assertEquals(exit, result.exitCode(), result.stdout() + result.stderr());
        assertCounters(outcome, tracer);
        return result;
    }

    private void assertCounters(String outcome, String tracer) throws IOException {
        Map<String, Object> stats = E2e.stats(roar);
        assertEquals(new TreeMap<>(Map.of("run", 1, outcome, 1)), E2e.map(stats, "subcommand_counts"));
        assertEquals(Map.of(tracer, 1), E2e.map(stats, "tracer_selections"));
    }

    private void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(roar.environment());
        Process process = builder.start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), said);
    }
}
