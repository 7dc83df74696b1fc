package ai.treqs.roar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/** {@code roar telemetry --status} and {@code --status --json} (docs/telemetry.md#--status), and the commands that create nothing. */
class TelemetryStatusCommandTest {
    static final String DEFAULT_ENDPOINT = "https://api.glaas.ai/api/v1/telemetry/roar";
    static final Set<String> JSON_KEYS = Set.of("enabled", "uploads_enabled", "endpoint", "endpoint_source", "proxy",
            "queued_events", "install_id", "disabled_reason", "suppression", "uploads_reason", "system_config",
            "global_config", "project_config", "disabled_reason_text", "suppression_text", "uploads_reason_text",
            "last_upload", "global_config_exists", "can_record", "cannot_record_reason");

    @RegisterExtension final Install install = Install.isolated();

    @Test
    void statusOfAFreshInstallShowsDefaultsAndCreatesNothing(InProcessCli launcher) throws Exception {
        LaunchResult result = launcher.launch("telemetry", "--status");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(String.join("\n",
                "Telemetry: enabled",
                "Uploads: enabled",
                "Endpoint: " + DEFAULT_ENDPOINT + " (default)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Global config: " + install.root.resolve("config/roar/global.toml") + " (not found)"), result.getOutput());
        assertFalse(Files.exists(install.root.resolve("config")));
        assertFalse(Files.exists(install.root.resolve("cache")));
    }

    @Test
    void noActionMeansStatus(InProcessCli launcher) {
        LaunchResult status = launcher.launch("telemetry", "--status");
        LaunchResult none = launcher.launch("telemetry");
        assertEquals(0, none.exitCode());
        assertEquals(status.getOutput(), none.getOutput());
    }

    @Test
    void ciMarkerInTheInjectedEnvironmentSuppresses(InProcessCli launcher) {
        TestHost.put("GITHUB_ACTIONS", "true");
        LaunchResult result = launcher.launch("telemetry", "--status");
        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().contains("Telemetry: disabled"), result.getOutput());
        assertTrue(result.getOutput().contains("Suppression: ci:GITHUB_ACTIONS"), result.getOutput());
    }

    @Test
    void optionalLinesAppearInTheirPlaceWhenTheyApply(InProcessCli launcher) {
        TestHost.put("DO_NOT_TRACK", "1");
        install.writeGlobal("[telemetry]\nenabled = false\n");
        install.writeSystem("[telemetry]\nenabled = true\n");
        Install.write(install.work().resolve(".roar/config.toml"), "# a project\n");

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(String.join("\n",
                "Telemetry: disabled",
                "Uploads: disabled",
                "Endpoint: " + DEFAULT_ENDPOINT + " (default)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Disabled reason: global_disabled (enabled = false in " + install.global() + ")",
                "Suppression: do_not_track (DO_NOT_TRACK=1 is set)",
                "System config: " + install.system(),
                "Global config: " + install.global(),
                "Project config: " + install.work().resolve(".roar/config.toml")), result.getOutput());
    }

    @Test
    void projectConfigIsFoundInAParentOfTheWorkingDirectory(InProcessCli launcher) throws Exception {
        Install.write(install.work().resolve(".roar/config.toml"), "[telemetry]\nenabled = false\n");
        Path sub = Files.createDirectories(install.work().resolve("src/deep"));
        TestHost.setCwd(sub);

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertTrue(result.getOutput().contains("Disabled reason: project_disabled"), result.getOutput());
        assertTrue(result.getOutput().endsWith("Project config: " + install.work().resolve(".roar/config.toml")),
                result.getOutput());
    }

    @Test
    void proxyLineShowsTheProxyWithoutCredentials(InProcessCli launcher) {
        TestHost.put("https_proxy", "http://alice:s3cret@proxy.example:3128");

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertEquals(String.join("\n",
                "Telemetry: enabled",
                "Uploads: enabled",
                "Endpoint: " + DEFAULT_ENDPOINT + " (default)",
                "Proxy: http://proxy.example:3128 (https_proxy)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Global config: " + install.global() + " (not found)"), result.getOutput());
        assertFalse(result.getOutput().contains("s3cret"));
        assertFalse(result.getOutput().contains("alice"));
    }

    @Test
    void emptyEndpointFromTheEnvironmentDisablesUploadsOnly(InProcessCli launcher) {
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", "");

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertEquals(String.join("\n",
                "Telemetry: enabled",
                "Uploads: disabled",
                "Endpoint: (empty) (env)",
                "Queued events: 0",
                "Install ID: (not created)",
                "Uploads reason: empty_endpoint (ROAR_TELEMETRY_ENDPOINT is set and empty)",
                "Global config: " + install.global() + " (not found)"), result.getOutput());
    }

    @Test
    void invalidEndpointInTheGlobalFileShowsItsReasonAndWarnsOnce(InProcessCli launcher) {
        install.writeGlobal("[telemetry]\nendpoint = \"ftp://files.example/x\"\n");

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().contains("Uploads: disabled\nEndpoint: ftp://files.example/x (global)\n"),
                result.getOutput());
        assertTrue(result.getOutput().contains("\nUploads reason: invalid_endpoint (the endpoint from " + install.global()
                + " is not usable: the URL must start with http:// or https://)\n"), result.getOutput());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains(install.global().toString()), result.getErrorOutput());
    }

    @Test
    void statusCountsQueuedEventsAndShowsTheInstallId(InProcessCli launcher) {
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", Install.ENDPOINT);
        assertEquals(0, launcher.launch("init").exitCode());

        LaunchResult result = launcher.launch("telemetry", "--status");

        assertTrue(result.getOutput().contains("\nQueued events: 3\n"), result.getOutput());
        assertTrue(result.getOutput().contains("\nInstall ID: " + install.statsJson().get("install_id") + "\n"),
                result.getOutput());
    }

    @Test
    void jsonStatusOfAFreshInstallHasEveryKeyWithNullsForAbsentFacts(InProcessCli launcher) throws Exception {
        LaunchResult result = launcher.launch("telemetry", "--status", "--json");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(1, result.getOutputStream().size(), result.getOutput());
        Map<String, Object> json = Json.parseObject(result.getOutput().getBytes());
        assertEquals(JSON_KEYS, json.keySet());
        assertEquals(true, json.get("enabled"));
        assertEquals(true, json.get("uploads_enabled"));
        assertEquals(DEFAULT_ENDPOINT, json.get("endpoint"));
        assertEquals("default", json.get("endpoint_source"));
        assertEquals(0L, json.get("queued_events"));
        assertEquals(install.global().toString(), json.get("global_config"));
        assertEquals(false, json.get("global_config_exists"));
        assertEquals(true, json.get("can_record"));
        for (String absent : List.of("proxy", "install_id", "disabled_reason", "suppression", "uploads_reason",
                "system_config", "project_config", "last_upload", "cannot_record_reason")) {
            assertTrue(json.containsKey(absent), absent);
            assertNull(json.get(absent), absent);
        }
    }

    @Test
    void jsonStatusCarriesTheSameFactsAsTheText(InProcessCli launcher) throws Exception {
        TestHost.put("DO_NOT_TRACK", "yes");
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", "");
        install.writeGlobal("[telemetry]\nenabled = false\n");
        install.writeSystem("# nothing set\n");
        Install.write(install.work().resolve(".roar/config.toml"), "");

        Map<String, Object> json = Json.parseObject(launcher.launch("telemetry", "--status", "--json").getOutput().getBytes());

        assertEquals(JSON_KEYS, json.keySet());
        assertEquals(false, json.get("enabled"));
        assertEquals(false, json.get("uploads_enabled"));
        assertEquals("", json.get("endpoint"));
        assertEquals("env", json.get("endpoint_source"));
        assertEquals("global_disabled", json.get("disabled_reason"));
        assertEquals("do_not_track", json.get("suppression"));
        assertEquals("empty_endpoint", json.get("uploads_reason"));
        assertEquals("enabled = false in " + install.global(), json.get("disabled_reason_text"));
        assertEquals("DO_NOT_TRACK=yes is set", json.get("suppression_text"));
        assertEquals(true, json.get("global_config_exists"));
        assertNull(json.get("can_record"), "nothing is recorded while telemetry is off");
        assertEquals(install.system().toString(), json.get("system_config"));
        assertEquals(install.work().resolve(".roar/config.toml").toString(), json.get("project_config"));
        assertNull(json.get("proxy"));
        assertNull(json.get("install_id"));
    }

    @Test
    void jsonStatusShowsProxyAndInstallId(InProcessCli launcher) throws Exception {
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", Install.ENDPOINT);
        TestHost.put("HTTP_PROXY", "http://bob:pw@10.0.0.1:8080");
        launcher.launch("init");

        Map<String, Object> json = Json.parseObject(launcher.launch("telemetry", "--status", "--json").getOutput().getBytes());

        assertEquals(Map.of("url", "http://10.0.0.1:8080", "variable", "HTTP_PROXY", "usable", true),
                withoutNulls(Install.map(json, "proxy")));
        assertEquals(install.statsJson().get("install_id"), json.get("install_id"));
        assertEquals(3L, json.get("queued_events"));
    }

    @Test
    void readOnlyCommandsCreateAndChangeNothing(InProcessCli launcher) {
        // on a terminal, too: the disclosure belongs to recorded commands only
        TestHost.setInteractive(true);
        List<List<String>> commands = List.of(
                List.of("telemetry"), List.of("telemetry", "--status"), List.of("telemetry", "--status", "--json"),
                List.of("telemetry", "--print"), List.of("telemetry", "--history"),
                List.of("telemetry", "--history", "--json"), List.of("telemetry", "--help"),
                List.of("--help"), List.of("--version"), List.of("run", "--help"), List.of("init", "--help"));
        Map<String, String> before = install.snapshot();
        for (List<String> command : commands) {
            LaunchResult result = launcher.launch(command.toArray(String[]::new));
            assertEquals(0, result.exitCode(), command + ": " + result.getErrorOutput());
            assertEquals(before, install.snapshot(), command.toString());
        }
        assertTrue(TestHost.launched().isEmpty());
    }

    @Test
    void readOnlyCommandsLeaveAnExistingInstallAsItWas(InProcessCli launcher) {
        TestHost.put("ROAR_TELEMETRY_ENDPOINT", Install.ENDPOINT);
        install.writeGlobal("# mine\n[telemetry]\nenabled = true\n");
        assertEquals(0, launcher.launch("init").exitCode());
        Map<String, String> before = install.snapshot();
        for (String[] command : new String[][] {{"telemetry", "--status"}, {"telemetry", "--status", "--json"},
                {"telemetry", "--print"}, {"telemetry", "--history"}, {"--version"}}) {
            assertEquals(0, launcher.launch(command).exitCode(), String.join(" ", command));
            assertEquals(before, install.snapshot(), String.join(" ", command));
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> out = new java.util.TreeMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
