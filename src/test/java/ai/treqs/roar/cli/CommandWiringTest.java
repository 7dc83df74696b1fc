package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * One launch per command under Quarkus itself, so that CDI's wiring (beans, producers, the test seams as
 * alternatives, {@link CommandLineSetup}) is shown to be the graph {@link InProcessCli} builds by hand.
 * What each command does is tested in the command's own test class, in-process without Quarkus. A launch
 * starts the application (about a second on an idle machine, ten on a loaded one): six launches, none
 * twice.
 */
@QuarkusMainTest
class CommandWiringTest {
    @RegisterExtension final Install install = Install.recording();

    @Test
    void roar(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--version");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("roar " + Install.projectVersion(), result.getOutputStream().get(0));
    }

    @Test
    void reset(QuarkusMainLauncher launcher) throws Exception {
        Path state = Files.createDirectories(install.work().resolve(".roar")).resolve("state.db");
        Files.writeString(state, "x");

        LaunchResult result = launcher.launch("reset", "--yes");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Cleared 1 item(s) from " + install.work().resolve(".roar"), result.getOutput());
        assertTrue(Files.notExists(state));
        assertEquals("reset", install.queuedTriggers().get(2));
    }

    @Test
    void run(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run", "sh", "-c", "exit 3");

        assertEquals(3, result.exitCode(), result.getErrorOutput());
        assertEquals(Map.of("run", 1L, "run_failed_user_exit", 1L), install.statsJson().get("subcommand_counts"));
    }

    @Test
    void telemetry(QuarkusMainLauncher launcher) throws Exception {
        TestHost.put("GITHUB_ACTIONS", "true");

        LaunchResult result = launcher.launch("telemetry", "--status", "--json");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        Map<String, Object> json = Json.parseObject(result.getOutput().getBytes());
        assertEquals("ci:GITHUB_ACTIONS", json.get("suppression"));
        assertEquals(Install.ENDPOINT, json.get("endpoint"));
    }

    @Test
    void initAndUpload(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult init = launcher.launch("init");

        assertEquals(0, init.exitCode(), init.getErrorOutput());
        assertEquals("", init.getErrorOutput());
        assertTrue(Files.isRegularFile(install.work().resolve(".roar/config.toml")));
        assertEquals(List.of("first_seen_for_install_id", "first_seen_for_version", "init"), install.queuedTriggers());
        assertEquals(List.of(List.of("upload")), TestHost.launched());

        // nothing listens on the endpoint: the uploader's REST client is built, connects, fails, and says so in last-attempt
        LaunchResult upload = launcher.launch("__upload");

        assertEquals(0, upload.exitCode(), upload.getErrorOutput());
        assertEquals("", upload.getOutput());
        assertEquals("", upload.getErrorOutput());
        assertEquals(true, Json.parseObject(Install.read(install.lastAttempt()).getBytes()).get("failed"));
        assertEquals(3, install.queued().size());
    }
}
