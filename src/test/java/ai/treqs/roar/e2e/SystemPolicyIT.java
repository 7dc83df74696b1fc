package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/administrators-and-packagers.md#administrators-the-system-file: {@code roar/global.toml} in the first absolute entry of
 * {@code XDG_CONFIG_DIRS} that has one. RoarProcess points XDG_CONFIG_DIRS at {@code <root>/etc-xdg}.
 */
@ExtendWith(AwaitUploaders.class)
class SystemPolicyIT {
    private static final String PATH = "/api/v1/telemetry/roar";

    @TempDir Path root;
    private RoarProcess roar;
    private Path systemFile;

    @BeforeEach
    void install() throws Exception {
        roar = new RoarProcess(root);
        systemFile = root.resolve("etc-xdg/roar/global.toml");
        Files.createDirectories(systemFile.getParent());
    }

    @Test
    void aSystemFileThatDisablesTelemetryBeatsTheUsersEnable() throws Exception {
        Files.writeString(systemFile, "[telemetry]\nenabled = false\n");
        String userText = "# my settings\n[telemetry]\nenabled = true\n";
        Files.createDirectories(roar.globalConfig().getParent());
        Files.writeString(roar.globalConfig(), userText);

        RoarProcess.Result enable = roar.run("telemetry", "--enable");
        assertEquals(1, enable.exitCode(), enable.stdout());
        assertEquals("", enable.stdout());
        assertEquals(1, enable.stderr().lines().count(), enable.stderr());
        assertTrue(enable.stderr().contains("administrator") && enable.stderr().contains(systemFile.toString()), enable.stderr());
        assertEquals(userText, Files.readString(roar.globalConfig()), "the user's file is unchanged");

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: disabled\nUploads: disabled\n"), status.stdout());
        assertTrue(status.stdout().contains("\nDisabled reason: system_disabled ("), status.stdout());
        assertTrue(status.stdout().contains("\nSystem config: " + systemFile + "\nGlobal config: "), status.stdout());
        assertEquals("", status.stderr());

        RoarProcess.Result init = roar.run("init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertFalse(Files.exists(roar.cache()), "nothing recorded or queued under a system opt-out");
    }

    @Test
    void aSystemEndpointIsUsedWhenTheUserHasNoneAndTheUsersOwnWins() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            Files.writeString(systemFile, "[telemetry]\nendpoint = \"" + collector.url(PATH) + "\"\n");

            RoarProcess.Result status = roar.run("telemetry", "--status");
            assertTrue(status.stdout().startsWith("Telemetry: enabled\nUploads: enabled\nEndpoint: "
                    + collector.url(PATH) + " (system)\n"), status.stdout());
            assertTrue(status.stdout().contains("\nSystem config: " + systemFile + "\n"), status.stdout());
            RoarProcess.Result json = roar.run("telemetry", "--status", "--json");
            assertTrue(json.stdout().contains("\"endpoint_source\":\"system\""), json.stdout());
            assertTrue(json.stdout().contains("\"system_config\":\"" + systemFile + "\""), json.stdout());

            QueueSeeds.queueThreeByInit(roar);
            assertEquals(3, QueueSeeds.flushUntilDelivered(roar).uploaded());
            assertEquals(3, QueueSeeds.distinctEventIds(collector.requests()).size(), "delivered to the system file's endpoint");

            assertEquals(0, roar.run("telemetry", "--endpoint", "https://mine.example.org/t").exitCode());
            assertTrue(roar.run("telemetry", "--status").stdout()
                    .contains("\nEndpoint: https://mine.example.org/t (global)\n"));
        }
    }

    @Test
    void anInvalidSystemFileTurnsTelemetryOffWithOneWarning() throws Exception {
        Files.writeString(systemFile, "[telemetry]\nenabled = \"no\"\n");

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: disabled\n"), status.stdout());
        assertTrue(status.stdout().contains("\nDisabled reason: system_config_invalid ("), status.stdout());
        assertTrue(status.stdout().contains("\nSystem config: " + systemFile + "\n"), status.stdout());
        List<String> warnings = status.stderr().lines().toList();
        assertEquals(1, warnings.size(), status.stderr());
        assertTrue(warnings.get(0).contains(systemFile.toString()), warnings.get(0));

        RoarProcess.Result init = roar.run("init");
        assertEquals(0, init.exitCode(), init.stderr());
        assertEquals(1, init.stderr().lines().filter(l -> l.contains(systemFile.toString())).count(), init.stderr());
        assertFalse(Files.exists(roar.cache()), "fail closed: nothing recorded");

        Files.write(systemFile, new byte[] {'[', 't', (byte) 0xff, ']'});
        RoarProcess.Result notUtf8 = roar.run("telemetry", "--status");
        assertTrue(notUtf8.stdout().contains("\nDisabled reason: system_config_invalid ("), notUtf8.stdout());

        RoarProcess.Result optedOut = roar.env("DO_NOT_TRACK", "1").run("telemetry", "--status");
        assertEquals("", optedOut.stderr(), "no warning when an environment opt-out already decides");
    }

    @Test
    void theFirstAbsoluteEntryOfXdgConfigDirsThatHasTheFileIsUsed() throws Exception {
        Path relative = roar.workDir().resolve("relative-etc/roar/global.toml");
        Path empty = root.resolve("no-roar-here");
        Path first = root.resolve("site/roar/global.toml");
        Path second = root.resolve("vendor/roar/global.toml");
        for (Path p : List.of(relative, first, second)) {
            Files.createDirectories(p.getParent());
        }
        Files.createDirectories(empty);
        Files.writeString(relative, "[telemetry]\nenabled = false\n", StandardCharsets.UTF_8);
        Files.writeString(first, "telemetry.endpoint = \"https://site.example.org/t\"\n", StandardCharsets.UTF_8);
        Files.writeString(second, "[telemetry]\nenabled = false\n", StandardCharsets.UTF_8);
        roar.env("XDG_CONFIG_DIRS", "relative-etc:" + empty + ":" + first.getParent().getParent() + ":"
                + second.getParent().getParent());

        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: enabled\nUploads: enabled\n"
                + "Endpoint: https://site.example.org/t (system)\n"), status.stdout());
        assertTrue(status.stdout().contains("\nSystem config: " + first + "\n"), status.stdout());
    }
}
