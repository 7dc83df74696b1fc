package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/** {@code roar run} (docs/host-commands.md): exit codes, outcomes, the child's environment, and what is recorded. */
class RunCommandTest {

    @RegisterExtension final Install install = Install.recording();

    @Test
    void firstThreeSuccessfulRunsEachFireTheirMilestoneOnce(InProcessCli launcher) {
        for (int i = 0; i < 4; i++) {
            LaunchResult result = launcher.launch("run", "--", "true");
            assertEquals(0, result.exitCode(), result.getErrorOutput());
            assertEquals("", result.getErrorOutput());
        }

        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "first_successful_roar_run",
                "second_successful_roar_run", "third_successful_roar_run"), install.queuedTriggers());
        List<Map<String, Object>> events = install.queued();
        for (Map<String, Object> first : events.subList(0, 3)) {
            // one snapshot for every trigger of the command
            assertEquals(Map.of("run", 1L, "run_success", 1L), first.get("subcommand_counts"));
            assertEquals(Map.of("disabled", 1L), first.get("tracer_selections"));
        }
        assertEquals(Map.of("run", 2L, "run_success", 2L), events.get(3).get("subcommand_counts"));
        assertEquals(Map.of("run", 3L, "run_success", 3L), events.get(4).get("subcommand_counts"));
        Map<String, Object> stats = install.statsJson();
        assertEquals(Map.of("run", 4L, "run_success", 4L), stats.get("subcommand_counts"));
        assertEquals(Map.of("disabled", 4L), stats.get("tracer_selections"));
        assertEquals(5L, stats.get("sequence"));
    }

    @Test
    void userExitCodeIsPassedThroughAndCounted(InProcessCli launcher) {
        LaunchResult result = launcher.launch("run", "--", "sh", "-c", "exit 3");

        assertEquals(3, result.exitCode());
        assertEquals("", result.getErrorOutput());
        assertEquals(Map.of("run", 1L, "run_failed_user_exit", 1L), install.statsJson().get("subcommand_counts"));
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version"), install.queuedTriggers());
    }

    @Test
    void exit130IsAnInterruption(InProcessCli launcher) {
        LaunchResult result = launcher.launch("run", "--", "sh", "-c", "exit 130");

        assertEquals(130, result.exitCode());
        assertEquals(Map.of("run", 1L, "run_failed_interrupted", 1L), install.statsJson().get("subcommand_counts"));
    }

    @Test
    void exit143IsAnInterruption(InProcessCli launcher) {
        assertEquals(143, launcher.launch("run", "--", "sh", "-c", "exit 143").exitCode());
        assertEquals(Map.of("run", 1L, "run_failed_interrupted", 1L), install.statsJson().get("subcommand_counts"));
    }

    @Test
    void missingCommandExits127WithOneLineAndCountsInternal(InProcessCli launcher) {
        LaunchResult result = launcher.launch("run", "--", "no-such-command-roar-test");

        assertEquals(127, result.exitCode());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains("no-such-command-roar-test"), result.getErrorOutput());
        Install.assertNoStackTrace(result);
        assertEquals(Map.of("run", 1L, "run_failed_internal", 1L), install.statsJson().get("subcommand_counts"));
    }

    @Test
    void unavailableTracerIsRefusedWithExit125AndCounted(InProcessCli launcher) throws Exception {
        Path marker = install.work().resolve("ran");

        LaunchResult result = launcher.launch("run", "--tracer", "ptrace", "--", "touch", marker.toString());

        assertEquals(125, result.exitCode());
        Install.assertOneErrorLine(result);
        assertFalse(Files.exists(marker), "refused before starting");
        Map<String, Object> stats = install.statsJson();
        assertEquals(Map.of("run", 1L, "run_failed_tracer_setup", 1L), stats.get("subcommand_counts"));
        assertEquals(Map.of("ptrace", 1L), stats.get("tracer_selections"));
    }

    @Test
    void unknownTracerNameIsCountedAsUnknown(InProcessCli launcher) {
        assertEquals(125, launcher.launch("run", "--tracer", "/home/alice/secret-tracer", "--", "true").exitCode());
        assertEquals(Map.of("unknown", 1L), install.statsJson().get("tracer_selections"));
        assertFalse(Install.read(install.stats()).contains("alice"));
    }

    @Test
    void explicitDisabledTracerRuns(InProcessCli launcher) {
        assertEquals(0, launcher.launch("run", "--tracer", "disabled", "--", "true").exitCode());
        assertEquals(Map.of("disabled", 1L), install.statsJson().get("tracer_selections"));
    }

    @Test
    void dirtyGitTreeIsRefusedWithExit125UnlessAllowed(InProcessCli launcher) throws Exception {
        Path work = install.work();
        git(work, "init", "-q");
        Files.writeString(work.resolve("tracked.txt"), "one\n");
        git(work, "add", "tracked.txt");
        git(work, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "c");
        Files.writeString(work.resolve("tracked.txt"), "two\n");
        Path marker = work.resolve("ran");

        LaunchResult refused = launcher.launch("run", "--", "touch", marker.toString());

        assertEquals(125, refused.exitCode());
        Install.assertOneErrorLine(refused);
        assertTrue(refused.getErrorOutput().contains("--allow-dirty"), refused.getErrorOutput());
        assertFalse(Files.exists(marker));
        assertEquals(Map.of("run", 1L, "run_failed_dirty", 1L), install.statsJson().get("subcommand_counts"));

        LaunchResult allowed = launcher.launch("run", "--allow-dirty", "--", "touch", marker.toString());

        assertEquals(0, allowed.exitCode(), allowed.getErrorOutput());
        assertTrue(Files.exists(marker));
        assertEquals(Map.of("run", 2L, "run_failed_dirty", 1L, "run_success", 1L),
                install.statsJson().get("subcommand_counts"));
    }

    @Test
    void untrackedFilesDoNotMakeATreeDirty(InProcessCli launcher) throws Exception {
        Path work = install.work();
        git(work, "init", "-q");
        Files.writeString(work.resolve("tracked.txt"), "one\n");
        git(work, "add", "tracked.txt");
        git(work, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "c");
        Files.writeString(work.resolve("untracked.txt"), "new\n");

        assertEquals(0, launcher.launch("run", "--", "true").exitCode());
    }

    @Test
    void noGitRepositoryIsNotDirty(InProcessCli launcher) {
        assertFalse(Files.exists(install.work().resolve(".git")));
        LaunchResult result = launcher.launch("run", "--", "true");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
    }

    @Test
    void childRunsInTheWorkingDirectoryMarkedInstrumentedWithoutTheOffSwitchWhenTelemetryIsOn(InProcessCli launcher)
            throws Exception {
        assertEquals(0, launcher.launch("run", "--", "sh", "-c", "env > out.txt").exitCode());

        List<String> env = Files.readAllLines(install.work().resolve("out.txt"));
        assertTrue(env.contains("ROAR_JOB_INSTRUMENTED=1"), env.toString());
        assertFalse(env.stream().anyMatch(l -> l.startsWith("ROAR_NO_TELEMETRY=")), env.toString());
        assertTrue(env.contains("ROAR_TELEMETRY_ENDPOINT=" + Install.ENDPOINT), "the child inherits roar's environment");
    }

    @Test
    void childGetsTheOffSwitchWhenTelemetryIsOffOnTheDriver(InProcessCli launcher) throws Exception {
        install.writeGlobal("[telemetry]\nenabled = false\n");

        assertEquals(0, launcher.launch("run", "--", "sh", "-c", "env > out.txt").exitCode());

        List<String> env = Files.readAllLines(install.work().resolve("out.txt"));
        assertTrue(env.contains("ROAR_JOB_INSTRUMENTED=1"), env.toString());
        assertTrue(env.contains("ROAR_NO_TELEMETRY=1"), env.toString());
        assertFalse(Files.exists(install.stats()));
    }

    @Test
    void childGetsTheOffSwitchUnderAnEnvironmentOptOut(InProcessCli launcher) throws Exception {
        TestHost.put("DO_NOT_TRACK", "1");

        assertEquals(0, launcher.launch("run", "--", "sh", "-c", "env > out.txt").exitCode());

        List<String> env = Files.readAllLines(install.work().resolve("out.txt"));
        assertTrue(env.contains("ROAR_NO_TELEMETRY=1"), env.toString());
        assertTrue(env.contains("DO_NOT_TRACK=1"), env.toString());
    }

    @Test
    void argumentsAfterTheCommandBelongToTheCommand(InProcessCli launcher) throws Exception {
        LaunchResult result = launcher.launch("run", "--", "sh", "-c", "printf '%s|' \"$@\" > args.txt", "sh",
                "--help", "--tracer", "ptrace");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("--help|--tracer|ptrace|", Install.read(install.work().resolve("args.txt")));
    }

    @Test
    void runWithoutACommandIsAUsageError(InProcessCli launcher) {
        LaunchResult result = launcher.launch("run");

        assertEquals(2, result.exitCode());
        assertFalse(Files.exists(install.stats()), "a usage error is not a recorded command");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
