package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/** {@code roar telemetry --print} (docs/telemetry.md#--print): always the preview, never a write; exit 1 when nothing would go. */
class TelemetryPrintCommandTest {
    static final Set<String> PAYLOAD_KEYS = Set.of("payload_schema_version", "stats_schema_version", "event_id",
            "install_id", "sequence", "first_seen", "trigger", "trigger_ts", "counters_as_of", "version", "platform",
            "subcommand_counts", "tracer_selections", "feature_capabilities");

    @RegisterExtension final Install install = Install.isolated();

    @Test
    void freshInstallPreviewsOneLineWithAThrowawayIdentityAndWritesNothing(InProcessCli launcher) throws Exception {
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--print");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("", result.getErrorOutput());
        assertEquals(1, result.getOutputStream().size(), result.getOutput());
        Map<String, Object> payload = Json.parseObject(result.getOutput().getBytes(StandardCharsets.UTF_8));
        assertEquals(PAYLOAD_KEYS, payload.keySet());
        assertEquals("preview", payload.get("trigger"));
        assertEquals(1L, payload.get("sequence"));
        assertEquals(Install.projectVersion(), payload.get("version"));
        // the one serialiser: compact, keys sorted, so it re-serialises to the very same bytes
        assertEquals(result.getOutput(), Json.writeString(payload));
        assertEquals(before, install.snapshot());
    }

    @Test
    void previewOfAnExistingInstallUsesItsIdentityAndNextSequenceWithoutWriting(InProcessCli launcher) throws Exception {
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", Install.ENDPOINT);
        assertEquals(0, launcher.launch("init").exitCode());
        Map<String, Object> stats = install.statsJson();
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--print");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        Map<String, Object> payload = Json.parseObject(result.getOutput().getBytes(StandardCharsets.UTF_8));
        assertEquals(stats.get("install_id"), payload.get("install_id"));
        assertEquals((Long) stats.get("sequence") + 1, payload.get("sequence"));
        assertEquals(Map.of("init", 1L), payload.get("subcommand_counts"));
        assertEquals("preview", payload.get("trigger"));
        assertEquals(before, install.snapshot());
        assertEquals(3, install.queued().size());
    }

    @Test
    void twoPreviewsOfAFreshInstallDoNotShareAnIdentity(InProcessCli launcher) throws Exception {
        Map<String, Object> first = Json.parseObject(launcher.launch("telemetry", "--print").getOutput().getBytes());
        Map<String, Object> second = Json.parseObject(launcher.launch("telemetry", "--print").getOutput().getBytes());
        assertNotEquals(first.get("install_id"), second.get("install_id"));
        assertNotEquals(first.get("event_id"), second.get("event_id"));
    }

    @Test
    void doNotTrackStillPrintsThePreviewAndSaysWhyNothingWouldGo(InProcessCli launcher) throws Exception {
        assertPreviewWithReason(launcher, "do_not_track", install -> TestHost.put("DO_NOT_TRACK", "1"));
    }

    @Test
    void globalDisableStillPrintsThePreviewAndSaysWhyNothingWouldGo(InProcessCli launcher) throws Exception {
        assertPreviewWithReason(launcher, "global_disabled", install -> install.writeGlobal("[telemetry]\nenabled = false\n"));
    }

    @Test
    void emptyEndpointStillPrintsThePreviewAndSaysWhyNothingWouldGo(InProcessCli launcher) throws Exception {
        assertPreviewWithReason(launcher, "empty_endpoint", install -> TestHost.put("ROAR_TELEMETRY_ENDPOINT", ""));
    }

    @Test
    void suppressionIsTheReasonGivenBeforeADisabledReason(InProcessCli launcher) throws Exception {
        assertPreviewWithReason(launcher, "ci:CI", install -> {
            TestHost.put("CI", "true");
            install.writeGlobal("[telemetry]\nenabled = false\n");
        });
    }

    private void assertPreviewWithReason(InProcessCli launcher, String reason,
                                         java.util.function.Consumer<Install> setUp) throws Exception {
        setUp.accept(install);
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--print");

        assertEquals(1, result.exitCode(), result.getErrorOutput());
        assertEquals("No telemetry payload would be uploaded: " + reason + ".", result.getErrorOutput());
        assertEquals(1, result.getOutputStream().size(), result.getOutput());
        Map<String, Object> payload = Json.parseObject(result.getOutput().getBytes(StandardCharsets.UTF_8));
        assertEquals(PAYLOAD_KEYS, payload.keySet());
        assertEquals("preview", payload.get("trigger"));
        assertEquals(before, install.snapshot());
        assertTrue(TestHost.launched().isEmpty());
    }
}
