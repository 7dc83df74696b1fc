package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

@QuarkusMainTest
class TelemetryStatusCommandTest {

    @TempDir Path root;

    @BeforeEach
    void cleanInstall() {
        TestHost.isolate(root);
    }

    @Test
    void statusOfAFreshInstallShowsDefaultsAndCreatesNothing(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("telemetry", "--status");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(String.join("\n",
                "Telemetry: enabled",
                "Uploads: enabled",
                "Endpoint: https://api.glaas.ai/api/v1/telemetry/roar (default)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Global config: " + root.resolve("config/roar/global.toml")), result.getOutput());
        assertFalse(Files.exists(root.resolve("config")));
        assertFalse(Files.exists(root.resolve("cache")));
    }

    @Test
    void ciMarkerInTheInjectedEnvironmentSuppresses(QuarkusMainLauncher launcher) {
        TestHost.put("GITHUB_ACTIONS", "true");
        LaunchResult result = launcher.launch("telemetry", "--status");
        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().contains("Telemetry: disabled"), result.getOutput());
        assertTrue(result.getOutput().contains("Suppression: ci:GITHUB_ACTIONS"), result.getOutput());
    }
}
