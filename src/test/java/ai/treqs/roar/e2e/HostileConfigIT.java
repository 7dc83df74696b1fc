package ai.treqs.roar.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/configuration.md#warnings-and-fail-closed-behaviour against config paths a user did not make on purpose: only "does not exist" is
 * absent (loops, dangling links, directories that cannot be entered fail closed), endpoint values are
 * taken exactly as written by one URL rule, and endpoints are printed without user info or query.
 */
class HostileConfigIT {
    private static final String PATH = "/api/v1/telemetry/roar";

    @TempDir Path root;
    private RoarProcess roar;

    @BeforeEach
    void install() throws Exception {
        roar = new RoarProcess(root);
        Files.createDirectories(roar.globalConfig().getParent());
    }

    @Test
    void aGlobalFileInALoopOrBehindADanglingLinkFailsClosedAndSaysWhatHappened() throws Exception {
        Files.createSymbolicLink(roar.globalConfig(), roar.globalConfig().getFileName());
        RoarProcess.Result loop = roar.run("telemetry", "--status");
        assertEquals(0, loop.exitCode(), loop.stderr());
        assertTrue(loop.stdout().startsWith("Telemetry: disabled\n"), loop.stdout());
        assertTrue(loop.stdout().contains("\nDisabled reason: global_config_invalid ("), loop.stdout());
        assertEquals(1, loop.stderr().lines().count(), loop.stderr());
        assertTrue(loop.stderr().contains(roar.globalConfig() + ": cannot be checked: a symbolic link loop"), loop.stderr());

        Files.delete(roar.globalConfig());
        Files.createSymbolicLink(roar.globalConfig(), root.resolve("dotfiles/missing.toml"));
        RoarProcess.Result dangling = roar.run("telemetry", "--status");
        assertTrue(dangling.stdout().contains("\nDisabled reason: global_config_invalid ("), dangling.stdout());
        assertTrue(dangling.stderr().contains("a symbolic link to something that does not exist"), dangling.stderr());
        assertFalse(dangling.stderr().contains("not owned"), dangling.stderr());
        assertFalse(Files.exists(roar.cache()), "nothing recorded while it fails closed");
    }

    @Test
    void aDanglingFirstSystemEntryIsThatEntrysInvalidFileNotASkip() throws Exception {
        Path first = root.resolve("xdg-a/roar/global.toml");
        Path second = root.resolve("xdg-b/roar/global.toml");
        Files.createDirectories(first.getParent());
        Files.createDirectories(second.getParent());
        Files.createSymbolicLink(first, root.resolve("gone.toml"));
        Files.writeString(second, "[telemetry]\nenabled = true\n");
        roar.env("XDG_CONFIG_DIRS", root.resolve("xdg-a") + ":" + root.resolve("xdg-b"));
        RoarProcess.Result status = roar.run("telemetry", "--status");
        assertTrue(status.stdout().startsWith("Telemetry: disabled\n"), status.stdout());
        assertTrue(status.stdout().contains("\nDisabled reason: system_config_invalid (" + first), status.stdout());
        assertTrue(status.stdout().contains("\nSystem config: " + first + "\n"), status.stdout());
        assertTrue(status.stderr().contains(first + ": cannot be checked: it is a symbolic link to something that does not exist"),
                status.stderr());
    }

    /**
     * Root ignores permission bits, so the process runs as root without CAP_DAC_OVERRIDE and
     * CAP_DAC_READ_SEARCH ({@code setpriv}), which makes a {@code 000} directory as closed to it as to a user.
     */
    @Test
    void aConfigDirectoryThatCannotBeEnteredFailsClosed() throws Exception {
        Files.writeString(roar.globalConfig(), "[telemetry]\nenabled = false\n");
        Path project = roar.workDir().resolve(".roar");
        Files.createDirectories(project);
        Files.writeString(project.resolve("config.toml"), "[telemetry]\nenabled = false\n");
        Files.setPosixFilePermissions(roar.globalConfig().getParent(), PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("---------"));
        try {
            Result status = withoutDacOverride("telemetry", "--status");
            assertEquals(0, status.exitCode, status.err);
            assertTrue(status.out.startsWith("Telemetry: disabled\n"), status.out);
            assertTrue(status.out.contains("\nDisabled reason: global_config_invalid ("), status.out);
            assertTrue(status.err.contains(roar.globalConfig() + ": cannot be checked: permission denied"), status.err);
            assertTrue(status.err.contains(project.resolve("config.toml") + ": cannot be checked: permission denied"), status.err);
        } finally {
            Files.setPosixFilePermissions(roar.globalConfig().getParent(), PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void endpointsAreTakenExactlyAsWrittenByOneRule() throws Exception {
        roar.env("ROAR_TELEMETRY_ENDPOINT", " http://127.0.0.1:9/t ");
        RoarProcess.Result spaced = roar.run("telemetry", "--status");
        assertTrue(spaced.stdout().contains("\nUploads: disabled\n"), spaced.stdout());
        assertTrue(spaced.stdout().contains("\nUploads reason: invalid_endpoint (the endpoint from ROAR_TELEMETRY_ENDPOINT"),
                spaced.stdout());
        roar.without("ROAR_TELEMETRY_ENDPOINT");

        Files.writeString(roar.globalConfig(), "[telemetry]\nendpoint = \"http://127.0.0.1:70000/t\"\n");
        RoarProcess.Result port = roar.run("telemetry", "--status");
        assertTrue(port.stdout().contains("\nUploads reason: invalid_endpoint ("), port.stdout());
        assertTrue(port.stderr().contains("the port must be between 1 and 65535"), port.stderr());
        RoarProcess.Result setPort = roar.run("telemetry", "--endpoint", "http://127.0.0.1:65536/t");
        assertEquals(2, setPort.exitCode(), setPort.stderr());

        Files.writeString(roar.globalConfig(), "[telemetry]\nendpoint = 1979-05-27T07:32:00Z\n");
        RoarProcess.Result date = roar.run("telemetry", "--status");
        assertTrue(date.stdout().contains("\nDisabled reason: global_config_invalid ("), date.stdout());
        assertTrue(date.stderr().contains("'telemetry.endpoint' must be a string"), date.stderr());
    }

    @Test
    void aNonAsciiEndpointIsSavedAsTypedUnderThePosixLocale() throws Exception {
        roar.without("LANG");
        String url = "http://127.0.0.1:9/tél/ä";
        RoarProcess.Result set = roar.run("telemetry", "--endpoint", url);
        assertEquals(0, set.exitCode(), set.stderr());
        assertEquals("[telemetry]\nendpoint = \"" + url + "\"\n", Files.readString(roar.globalConfig()));
        RoarProcess.Result equalsForm = roar.run("telemetry", "--endpoint=" + url + "x");
        assertEquals(0, equalsForm.exitCode(), equalsForm.stderr());
        assertTrue(Files.readString(roar.globalConfig()).contains(url + "x\""));
    }

    @Test
    void endpointsArePrintedWithoutUserInfoOrQuery() throws Exception {
        roar.env("ROAR_TELEMETRY_ENDPOINT", "http://alice:pw@127.0.0.1:9/t?token=x");
        RoarProcess.Result text = roar.run("telemetry", "--status");
        RoarProcess.Result json = roar.run("telemetry", "--status", "--json");
        assertTrue(text.stdout().contains("\nEndpoint: http://127.0.0.1:9/t (env)\n"), text.stdout());
        assertTrue(json.stdout().contains("\"endpoint\":\"http://127.0.0.1:9/t\""), json.stdout());
        for (String out : List.of(text.stdout(), text.stderr(), json.stdout(), json.stderr())) {
            assertFalse(out.contains("pw") || out.contains("token") || out.contains("alice"), out);
        }
        // not even a URL: whatever could be credentials still goes
        roar.env("ROAR_TELEMETRY_ENDPOINT", "http://bob:secret@exa mple/t?key=y");
        RoarProcess.Result broken = roar.run("telemetry", "--status");
        assertTrue(broken.stdout().contains("\nEndpoint: http://exa mple/t (env)\n"), broken.stdout());
        assertFalse(broken.stdout().contains("secret") || broken.stderr().contains("secret"), broken.stdout());
    }

    @Test
    void statusSaysWhetherItWorksAndWhy() throws Exception {
        try (Collector closed = new Collector(Collector.Behaviour.NO_CONTENT)) {
            String url = closed.url(PATH);
            closed.close();
            roar.env("ROAR_TELEMETRY_ENDPOINT", url);
            RoarProcess.Result fresh = roar.run("telemetry", "--status");
            assertTrue(fresh.stdout().endsWith("\nGlobal config: " + roar.globalConfig() + " (not found)\n"), fresh.stdout());
            assertFalse(fresh.stdout().contains("Last upload"), fresh.stdout());

            QueueSeeds.queueThreeByInit(roar);
            Files.delete(roar.cache().resolve("last-attempt"));
            roar.run("telemetry", "--flush");
            RoarProcess.Result after = roar.run("telemetry", "--status");
            assertTrue(after.stdout().matches("(?s).*\nLast upload: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ failed: endpoint unreachable: connection refused\n.*"),
                    after.stdout());
            RoarProcess.Result json = roar.run("telemetry", "--status", "--json");
            assertTrue(json.stdout().contains("\"last_upload\":{\"at\":\""), json.stdout());
            assertTrue(json.stdout().contains("\"ok\":false,\"outcome\":\"failed: endpoint unreachable: connection refused\"}"), json.stdout());
            assertTrue(json.stdout().contains("\"global_config_exists\":false"), json.stdout());
            assertTrue(json.stdout().contains("\"can_record\":true"), json.stdout());
        }
        roar.env("DO_NOT_TRACK", "1");
        RoarProcess.Result suppressed = roar.run("telemetry", "--status");
        assertTrue(suppressed.stdout().contains("\nSuppression: do_not_track (DO_NOT_TRACK=1 is set)\n"), suppressed.stdout());
        roar.without("DO_NOT_TRACK").env("GITHUB_ACTIONS", "true");
        RoarProcess.Result ci = roar.run("telemetry", "--status");
        assertTrue(ci.stdout().contains("\nSuppression: ci:GITHUB_ACTIONS (GITHUB_ACTIONS is set)\n"), ci.stdout());
        roar.without("GITHUB_ACTIONS");
        Files.writeString(roar.globalConfig(), "[telemetry]\nenabled = false\n");
        RoarProcess.Result off = roar.run("telemetry", "--status");
        assertTrue(off.stdout().contains("\nDisabled reason: global_disabled (enabled = false in " + roar.globalConfig() + ")\n"), off.stdout());
        assertTrue(off.stdout().contains("\nGlobal config: " + roar.globalConfig() + "\n"), off.stdout());

        Files.delete(roar.globalConfig());
        Path notADirectory = root.resolve("cache-file");
        Files.writeString(notADirectory, "");
        roar.env("XDG_CACHE_HOME", notADirectory.resolve("cache").toString());
        RoarProcess.Result cannot = roar.run("telemetry", "--status");
        assertTrue(cannot.stdout().startsWith("Telemetry: enabled (cannot record: " + notADirectory + " is not a directory)\n"),
                cannot.stdout());
        RoarProcess.Result cannotJson = roar.run("telemetry", "--status", "--json");
        assertTrue(cannotJson.stdout().contains("\"can_record\":false"), cannotJson.stdout());
    }

    record Result(int exitCode, String out, String err) {}

    private Result withoutDacOverride(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"));
        command.addAll(roar.command(args));
        ProcessBuilder builder = roar.builder(args).command(command);
        Path out = root.resolve("setpriv.out");
        Path err = root.resolve("setpriv.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "setpriv roar finished");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
