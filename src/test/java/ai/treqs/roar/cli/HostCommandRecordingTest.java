package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.main.LaunchResult;

/** {@code roar init} and {@code roar reset} (docs/host-commands.md) and what they record (docs/telemetry.md#when-events-are-made). */
class HostCommandRecordingTest {

    @RegisterExtension final Install install = Install.recording();

    @Test
    void initInAFreshInstallQueuesFirstSeenForInstallAndVersionThenInit(InProcessCli launcher) {
        LaunchResult result = launcher.launch("init");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("", result.getErrorOutput());
        List<Map<String, Object>> events = install.queued();
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init"), install.queuedTriggers());
        assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> e.get("sequence")).toList());
        Map<String, Object> stats = install.statsJson();
        for (Map<String, Object> event : events) {
            assertEquals(stats.get("install_id"), event.get("install_id"));
            assertEquals(Map.of("init", 1L), event.get("subcommand_counts"));
            assertEquals(Install.projectVersion(), event.get("version"));
            assertTrue(Files.exists(install.queueDir().resolve(event.get("event_id") + ".json")));
        }
        assertEquals(3L, stats.get("sequence"));
        assertEquals(Map.of("init", 1L), stats.get("subcommand_counts"));
        assertEquals(Map.of(), stats.get("tracer_selections"));
        assertTrue(Install.map(stats, "version_milestones").containsKey(Install.projectVersion()));
        assertEquals("default_dev", Install.map(stats, "feature_capabilities").get("glaas_endpoint_kind"));
    }

    @Test
    void initMakesTheProjectAndSaysWhatPayloadsNeverInclude(InProcessCli launcher) throws Exception {
        LaunchResult result = launcher.launch("init");

        Path config = install.work().resolve(".roar/config.toml");
        assertTrue(Files.isRegularFile(config));
        assertTrue(Install.read(config).contains("enabled = false"));
        assertEquals(".roar/\n", Install.read(install.work().resolve(".gitignore")));
        for (String never : List.of("commands", "paths", "git remotes", "artifact hashes", "stdout/stderr",
                "API keys/secrets", "roar telemetry --disable")) {
            assertTrue(result.getOutput().contains(never), never + " in " + result.getOutput());
        }
    }

    @Test
    void secondInitQueuesOnlyInitAndKeepsTheConfig(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        Path config = install.work().resolve(".roar/config.toml");
        Files.writeString(config, "# mine\n");

        assertEquals(0, launcher.launch("init").exitCode());

        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init", "init"),
                install.queuedTriggers());
        Map<String, Object> last = install.queued().get(3);
        assertEquals(4L, last.get("sequence"));
        assertEquals(Map.of("init", 2L), last.get("subcommand_counts"));
        assertEquals("# mine\n", Install.read(config));
        assertEquals(".roar/\n", Install.read(install.work().resolve(".gitignore")));
    }

    @Test
    void failedInitExitsOneWithOneLineAndQueuesNoInit(InProcessCli launcher) throws Exception {
        Files.writeString(install.work().resolve("plain-file"), "x");

        LaunchResult result = launcher.launch("init", "--path", "plain-file/project");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        Install.assertNoStackTrace(result);
        assertFalse(install.queuedTriggers().contains("init"), install.queuedTriggers().toString());
    }

    @Test
    void failedInitAfterTheFirstCommandQueuesNothing(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("run", "--", "true").exitCode());
        int before = install.queued().size();
        Files.writeString(install.work().resolve("plain-file"), "x");

        assertEquals(1, launcher.launch("init", "--path", "plain-file/project").exitCode());

        assertEquals(before, install.queued().size());
    }

    @Test
    void resetWithoutATerminalNeedsYes(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        Path state = Files.writeString(install.work().resolve(".roar/state.db"), "x");

        LaunchResult result = launcher.launch("reset");

        assertEquals(2, result.exitCode());
        assertEquals(List.of("roar: reset needs --yes when not run on a terminal", "Try 'roar reset --help' for more information."),
                Install.nonEmpty(result.getErrorStream()));
        assertTrue(Files.exists(state));
        assertFalse(install.queuedTriggers().contains("reset"));
    }

    @Test
    void resetWithYesClearsStateKeepsConfigAndQueuesReset(InProcessCli launcher) throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        Path roar = install.work().resolve(".roar");
        String config = Install.read(roar.resolve("config.toml"));
        Files.writeString(roar.resolve("state.db"), "x");
        Files.createDirectories(roar.resolve("cache/deep"));
        Files.writeString(roar.resolve("cache/deep/blob"), "y");

        LaunchResult result = launcher.launch("reset", "--yes");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        try (Stream<Path> left = Files.list(roar)) {
            assertEquals(List.of("config.toml"), left.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(config, Install.read(roar.resolve("config.toml")));
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init", "reset"),
                install.queuedTriggers());
        assertEquals(Map.of("init", 1L, "reset", 1L), install.queued().get(3).get("subcommand_counts"));
    }

    @Test
    void resetOfADirectoryWithoutAProjectFailsAndQueuesNoReset(InProcessCli launcher) {
        LaunchResult result = launcher.launch("reset", "--yes");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        assertFalse(install.queuedTriggers().contains("reset"));
    }
}
