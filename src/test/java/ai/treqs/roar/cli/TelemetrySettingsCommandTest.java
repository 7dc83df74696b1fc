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

import ai.treqs.roar.telemetry.config.Toml;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;

/** {@code roar telemetry --disable / --enable / --endpoint} and "one action at a time" (docs/telemetry.md#opt-out-controls). */
class TelemetrySettingsCommandTest {
    static final String USER_FILE = """
            # my roar settings
            [proxy]
            enabled = true   # roar's own proxy integration

            [telemetry]
            # the collector I was told to use
            endpoint = "https://collector.example/t"

            [other]
            list = [1, 2, 3]
            """;

    @RegisterExtension final Install install = Install.recording();

    @Test
    void disableWritesEnabledFalseAndKeepsTheRestOfTheFileByteForByte(InProcessCli launcher) throws Exception {
        install.writeGlobal(USER_FILE);

        LaunchResult result = launcher.launch("telemetry", "--disable");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Telemetry disabled globally in " + install.global()
                + "\nThere was no queued event and no install ID to delete.", result.getOutput());
        String after = Install.read(install.global());
        assertEquals(USER_FILE, after.replaceFirst("enabled = false\r?\n", ""), after);
        Map<String, Object> parsed = Toml.parse(after);
        assertEquals(false, Install.map(parsed, "telemetry").get("enabled"));
        assertEquals("https://collector.example/t", Install.map(parsed, "telemetry").get("endpoint"));
        assertEquals(true, Install.map(parsed, "proxy").get("enabled"));
    }

    @Test
    void disableOfADottedKeyFileChangesOnlyItsValue(InProcessCli launcher) throws Exception {
        install.writeGlobal("# dotted\ntelemetry.enabled = true # was on\n[x]\ny = 1\n");

        assertEquals(0, launcher.launch("telemetry", "--disable").exitCode());

        assertEquals("# dotted\ntelemetry.enabled = false # was on\n[x]\ny = 1\n", Install.read(install.global()));
    }

    @Test
    void disableDeletesEveryQueuedEventTheStatsWithLeftoversTheLedgerAndTheLastAttempt(InProcessCli launcher)
            throws Exception {
        assertEquals(0, launcher.launch("init").exitCode());
        assertEquals(3, install.queued().size());
        Path dir = install.telemetryDir();
        Files.writeString(dir.resolve("stats.json.corrupt-20260101T000000Z"), "{");
        Files.writeString(dir.resolve("stats.json.old"), "{}");
        Files.writeString(install.ledger(), "{\"sent_at\":\"2026-01-01T00:00:00Z\"}\n");
        Files.writeString(install.lastAttempt(), "{\"at\":\"2026-01-01T00:00:00Z\",\"failed\":false,\"outcome\":\"ok\"}\n");

        LaunchResult result = launcher.launch("telemetry", "--disable");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Telemetry disabled globally in " + install.global()
                + "\nDeleted 3 queued events, the install ID and the upload history.", result.getOutput());
        assertEquals(List.of(), install.queued());
        try (Stream<Path> left = Files.list(dir)) {
            List<String> names = left.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("stats.json")), names.toString());
            // the ledger is replaced by one anonymous line (docs/proxies-and-ledger.md)
            assertEquals(List.of("{\"disabled_at\":\"" + Files.readString(install.ledger()).substring(16, 36)
                    + "\",\"endpoints\":[],\"first_sent_at\":\"2026-01-01T00:00:00Z\",\"last_sent_at\":\"2026-01-01T00:00:00Z\",\"sent\":1}"),
                    Files.readAllLines(install.ledger()));
            assertFalse(names.contains("last-attempt"), names.toString());
        }
        try (Stream<Path> queue = Files.list(install.queueDir())) {
            assertEquals(0, queue.count());
        }
        String status = launcher.launch("telemetry", "--status").getOutput();
        assertTrue(status.contains("Telemetry: disabled\n"), status);
        assertTrue(status.contains("Install ID: (not created)\n"), status);
        assertTrue(status.contains("Disabled reason: global_disabled ("), status);
    }

    @Test
    void disableOfAnUnparseableFileMovesItAsideAndWritesAFreshOne(InProcessCli launcher) throws Exception {
        String broken = "[telemetry\nenabled = = true\n# precious notes\n";
        install.writeGlobal(broken);

        LaunchResult result = launcher.launch("telemetry", "--disable");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<Path> aside;
        try (Stream<Path> files = Files.list(install.configDir())) {
            aside = files.filter(p -> p.getFileName().toString().matches("global\\.toml\\.invalid-\\d{8}T\\d{6}Z")).toList();
        }
        assertEquals(1, aside.size());
        assertEquals(broken, Install.read(aside.get(0)));
        assertEquals(false, Install.map(Toml.parse(Install.read(install.global())), "telemetry").get("enabled"));
        assertEquals(List.of(
                "The unreadable " + install.global() + " was moved to " + aside.get(0),
                "Telemetry disabled globally in " + install.global(),
                "There was no queued event and no install ID to delete."), result.getOutputStream());
        assertTrue(launcher.launch("telemetry", "--status").getOutput().contains("Disabled reason: global_disabled"));
    }

    @Test
    void enableWritesEnabledTrue(InProcessCli launcher) throws Exception {
        install.writeGlobal("[telemetry]\nenabled = false\n");

        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Telemetry enabled globally in " + install.global(), result.getOutput());
        assertEquals("[telemetry]\nenabled = true\n", Install.read(install.global()));
        assertTrue(launcher.launch("telemetry", "--status").getOutput().startsWith("Telemetry: enabled\n"));
    }

    @Test
    void enableOnAFreshInstallCreatesTheGlobalFile(InProcessCli launcher) throws Exception {
        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals(true, Install.map(Toml.parse(Install.read(install.global())), "telemetry").get("enabled"));
    }

    @Test
    void enableAgainstAnAdministratorsDisableChangesNothingAndNamesTheirFile(InProcessCli launcher) {
        install.writeSystem("[telemetry]\nenabled = false\n");
        install.writeGlobal("[telemetry]\nenabled = false\n");
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains("administrator"), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains(install.system().toString()), result.getErrorOutput());
        assertEquals("", result.getOutput());
        assertEquals(before, install.snapshot());
    }

    @Test
    void enableAgainstAnInvalidAdministratorsFileChangesNothingBecauseItFailsClosed(InProcessCli launcher) {
        install.writeSystem("[telemetry\nenabled = false\n");
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains(install.system().toString()), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("invalid"), result.getErrorOutput());
        assertEquals(before, install.snapshot());
    }

    @Test
    void enableOnAnUnparseableFileFailsInOneLineAndLeavesItAlone(InProcessCli launcher) {
        install.writeGlobal("[telemetry\nenabled = false\n");
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains(install.global().toString()), result.getErrorOutput());
        Install.assertNoStackTrace(result);
        assertEquals(before, install.snapshot());
    }

    @Test
    void enableWhereARegularFileStandsForTheConfigDirectoryNamesThatFile(InProcessCli launcher) throws Exception {
        Install.write(install.configDir(), "x");

        LaunchResult result = launcher.launch("telemetry", "--enable");

        assertEquals(1, result.exitCode());
        assertEquals("roar: cannot write " + install.global() + ": " + install.configDir()
                + " is not a directory; nothing changed", result.getErrorOutput());
        assertEquals("x", Install.read(install.configDir()));
    }

    @Test
    void endpointOnAnUnparseableFileFailsInOneLineAndLeavesItAlone(InProcessCli launcher) {
        install.writeGlobal("telemetry = {\n");
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--endpoint", "https://ok.example/t");

        assertEquals(1, result.exitCode());
        Install.assertOneErrorLine(result);
        assertTrue(result.getErrorOutput().contains(install.global().toString()), result.getErrorOutput());
        assertEquals(before, install.snapshot());
    }

    @Test
    void endpointIsSavedAsATomlString(InProcessCli launcher) throws Exception {
        install.writeGlobal(USER_FILE);
        String url = "https://collector.example:8443/api/v1/t?team=a&x=%22";

        LaunchResult result = launcher.launch("telemetry", "--endpoint", url);

        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertEquals("Telemetry endpoint saved in " + install.global(), result.getOutput());
        String after = Install.read(install.global());
        assertEquals(USER_FILE.replace("\"https://collector.example/t\"", "\"" + url + "\""), after);
        assertEquals(url, Install.map(Toml.parse(after), "telemetry").get("endpoint"));
        TestHost.remove("ROAR_TELEMETRY_ENDPOINT");
        // shown as the ledger shows it: no query (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger)
        assertTrue(launcher.launch("telemetry", "--status").getOutput().contains("Endpoint: https://collector.example:8443/api/v1/t (global)\n"));
    }

    @Test
    void emptyEndpointIsSavedAndMeansNoUploads(InProcessCli launcher) throws Exception {
        TestHost.remove("ROAR_TELEMETRY_ENDPOINT");

        assertEquals(0, launcher.launch("telemetry", "--endpoint", "").exitCode());

        assertEquals("", Install.map(Toml.parse(Install.read(install.global())), "telemetry").get("endpoint"));
        String status = launcher.launch("telemetry", "--status").getOutput();
        assertTrue(status.contains("Endpoint: (empty) (global)\nQueued events"), status);
        assertTrue(status.contains("Uploads reason: empty_endpoint (endpoint = \"\" in "), status);
    }

    @Test
    void badEndpointsAreUsageErrorsAndLeaveTheFileUntouched(InProcessCli launcher) {
        install.writeGlobal(USER_FILE);
        Map<String, String> before = install.snapshot();
        for (String bad : List.of("ftp://files.example/t", "https://user:pw@collector.example/t",
                "https://user@collector.example/t", "https://collector.example/a b", "collector.example/t", "https://",
                "https://x.example/\"\nenabled = true\n[evil]\nk = \"", "https://x.example/\"\"\"\nenabled = true",
                "http://x.example/\\u0022")) {
            LaunchResult result = launcher.launch("telemetry", "--endpoint", bad);
            assertEquals(2, result.exitCode(), bad);
            Install.assertUsageError(result, "roar telemetry");
            assertEquals("", result.getOutput(), bad);
            assertEquals(before, install.snapshot(), bad);
        }
    }

    @Test
    void twoActionsAtOnceAreAUsageErrorThatTouchesNothing(InProcessCli launcher) {
        install.writeGlobal(USER_FILE);
        assertEquals(0, launcher.launch("init").exitCode());
        Map<String, String> before = install.snapshot();
        for (String[] args : new String[][] {{"telemetry", "--disable", "--enable"},
                {"telemetry", "--status", "--print"}, {"telemetry", "--disable", "--endpoint", "https://a.example/t"},
                {"telemetry", "--flush", "--history"}}) {
            LaunchResult result = launcher.launch(args);
            assertEquals(2, result.exitCode(), String.join(" ", args));
            List<String> err = Install.nonEmpty(result.getErrorStream());
            assertEquals(2, err.size(), result.getErrorOutput());
            assertTrue(err.get(0).startsWith("roar: "), err.get(0));
            assertEquals("Try 'roar telemetry --help' for more information.", err.get(1));
            assertEquals("", result.getOutput());
            assertEquals(before, install.snapshot(), String.join(" ", args));
        }
    }

    @Test
    void jsonWithAWritingActionIsAUsageError(InProcessCli launcher) {
        Map<String, String> before = install.snapshot();

        LaunchResult result = launcher.launch("telemetry", "--disable", "--json");

        assertEquals(2, result.exitCode());
        Install.assertUsageError(result, "roar telemetry");
        assertEquals(before, install.snapshot());
    }
}
