package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.AwaitUploaders;
import ai.treqs.roar.testing.Collector;
import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/security.md#undecodable-base-directories: an XDG_CONFIG_HOME, XDG_CONFIG_DIRS entry or XDG_CACHE_HOME whose bytes
 * are not text in the JVM's encoding (a Latin-1 {@code é}; a UTF-8 one under a locale that is not installed) names a
 * directory roar cannot reach. It used to be skipped like a relative one: HOME's ~/.config stood in for it and the
 * opt-out in it was lost. Now it fails closed; the launcher gives the JVM C.UTF-8 when the user's locale is not installed,
 * so a UTF-8 name is read exactly; and the detached uploader gets the command's environment byte for byte.
 */
@ExtendWith(AwaitUploaders.class)
class UndecodableConfigIT {
    private static final String OPT_OUT = "[telemetry]\nenabled = false\n";

    @TempDir Path root;

    @Test
    void anOptOutInAConfigHomeThatIsNotUtf8IsKeptAndNothingIsSent() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url("/t")).env("R", root.toString());
            assertEquals(0, sh("mkdir -p \"$(printf 'conf\\351')/roar\" && printf '" + OPT_OUT.replace("\n", "\\n")
                    + "' > \"$(printf 'conf\\351')/roar/global.toml\""));
            String latin1 = "XDG_CONFIG_HOME=\"$R/$(printf 'conf\\351')\" exec \"$@\"";

            RoarProcess.Result status = through(roar, latin1, "telemetry", "--status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().startsWith("Telemetry: disabled\n"), status.stdout());
            assertTrue(status.stdout().contains("Disabled reason: global_config_invalid ("), status.stdout());
            assertTrue(status.stdout().contains("Global config: (none: XDG_CONFIG_HOME is not valid UTF-8: "), status.stdout());
            RoarProcess.Result init = through(roar, latin1, "init");
            assertEquals(0, init.exitCode(), init.stderr());
            RoarProcess.Result enable = through(roar, latin1, "telemetry", "--enable");
            assertEquals(1, enable.exitCode(), enable.stdout());
            assertTrue(enable.stderr().startsWith("roar: cannot save the setting: XDG_CONFIG_HOME is not valid UTF-8"), enable.stderr());

            AwaitUploaders.awaitQuiet(List.of(root));
            assertEquals(List.of(), collector.requests(), "the opt-out in the Latin-1 CONFIG_HOME was ignored");
            assertFalse(Files.exists(root.resolve("home/.config")), "HOME's config directory stood in for XDG_CONFIG_HOME");
            assertEquals(1, sh("test -e \"$(printf 'conf\\357\\277\\275')\""), "roar made the directory its text names");
        }
    }

    @Test
    void anXdgConfigDirsEntryThatIsNotUtf8FailsClosedInsteadOfBeingSkipped() throws Exception {
        RoarProcess roar = Faults.install(root, null).env("R", root.toString());
        String latin1 = "XDG_CONFIG_DIRS=\"$R/$(printf 'sys\\351'):$R/etc-xdg\" exec \"$@\"";
        RoarProcess.Result status = through(roar, latin1, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().startsWith("Telemetry: disabled\n"), status.stdout());
        assertTrue(status.stdout().contains("Disabled reason: system_config_invalid ("), status.stdout());
        assertTrue(status.stderr().contains("XDG_CONFIG_DIRS is not valid UTF-8 in the entry "), status.stderr());
    }

    @Test
    void aCacheHomeThatIsNotUtf8RecordsNothingAnywhere() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.NO_CONTENT)) {
            RoarProcess roar = Faults.install(root, collector.url("/t")).env("R", root.toString());
            String latin1 = "XDG_CACHE_HOME=\"$R/$(printf 'cache\\351')\" exec \"$@\"";
            RoarProcess.Result status = through(roar, latin1, "telemetry", "--status");
            assertTrue(status.stdout().startsWith("Telemetry: enabled (cannot record: XDG_CACHE_HOME is not valid UTF-8"), status.stdout());
            RoarProcess.Result init = through(roar, latin1, "init");
            assertEquals(0, init.exitCode(), init.stderr());
            AwaitUploaders.awaitQuiet(List.of(root));
            assertEquals(List.of(), collector.requests());
            assertFalse(Files.exists(root.resolve("home/.cache")), "HOME's cache directory stood in for XDG_CACHE_HOME");
            assertEquals(1, sh("test -e \"$(printf 'cache\\357\\277\\275')\""), "roar made the directory its text names");
        }
    }

    /**
     * The uploader used to be started with Java's text of the environment: a Latin-1 value reached it as the bytes of
     * U+FFFD, which are valid UTF-8, so it could take a directory the command had refused and another endpoint.
     * Caught while the collector holds its request: its environment has the user's bytes, and it posts where
     * {@code --status} says.
     */
    @Test
    void theUploaderGetsTheCommandsEnvironmentByteForByteAndItsEndpoint() throws Exception {
        try (Collector collector = new Collector(Collector.Behaviour.HANG)) {
            RoarProcess roar = Faults.install(root, collector.url("/shown")).env("R", root.toString());
            String latin1 = "XDG_DATA_HOME=\"$R/$(printf 'data\\351')\" exec \"$@\"";
            RoarProcess.Result status = through(roar, latin1, "telemetry", "--status");
            assertTrue(status.stdout().contains("Endpoint: " + collector.url("/shown") + " (env)\n"), status.stdout());

            RoarProcess.Result init = through(roar, latin1, "init");
            assertEquals(0, init.exitCode(), init.stderr());
            assertTrue(RoarProcess.await(Duration.ofSeconds(60), () -> !collector.requests().isEmpty()), "nothing uploaded");
            assertEquals("/shown", collector.requests().get(0).path());
            byte[] value = uploaderValue("XDG_DATA_HOME").orElseThrow(() -> new AssertionError("no uploader found"));
            byte[] expected = (root + "/data\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            assertTrue(Arrays.equals(expected, value), "the uploader's XDG_DATA_HOME: " + new String(value, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * A UTF-8 XDG_CONFIG_HOME under a locale that is not installed: the JVM decodes it as ASCII, and roar read HOME's
     * ~/.config instead. The launcher now gives the JVM C.UTF-8, so the name is read exactly; without the launcher it fails closed.
     */
    @Test
    void aUtf8ConfigHomeUnderALocaleThatIsNotInstalledIsReadExactly() throws Exception {
        assumeFalse(RoarProcess.isNative(), RoarProcess.JVM_ONLY);
        Path cafe = root.resolve("café");
        Files.createDirectories(cafe.resolve("roar"));
        Files.writeString(cafe.resolve("roar/global.toml"), OPT_OUT);
        RoarProcess roar = Faults.install(root, null).launcher(RoarProcess.launcherScript())
                .env("ROAR_NO_JVM_CACHE", "1").env("LANG", "xx_XX.UTF-8").env("XDG_CONFIG_HOME", cafe.toString());
        RoarProcess.Result status = Faults.run(roar, "telemetry", "--status");
        assertEquals(0, status.exitCode(), status.stderr());
        assertTrue(status.stdout().contains("Disabled reason: global_disabled (enabled = false in " + cafe.resolve("roar/global.toml") + ")\n"),
                status.stdout());
        // started without the launcher the JVM decodes as ASCII: the name it cannot read fails closed, never HOME's instead
        RoarProcess plain = Faults.install(root.resolve("plain"), null).env("LANG", "xx_XX.UTF-8").env("XDG_CONFIG_HOME", cafe.toString());
        RoarProcess.Result ascii = Faults.run(plain, "telemetry", "--status");
        assertEquals(0, ascii.exitCode(), ascii.stderr());
        assertTrue(ascii.stdout().contains("Disabled reason: global_config_invalid ("), ascii.stdout());
        assertTrue(ascii.stdout().contains("Global config: (none: XDG_CONFIG_HOME is not valid US-ASCII (the encoding of this locale"),
                ascii.stdout());
        // roar run's child still gets the user's own locale variables
        RoarProcess.Result run = Faults.run(roar, "run", "--allow-dirty", "--", "sh", "-c", "echo \"${LC_ALL-unset} $LANG\"");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().endsWith("unset xx_XX.UTF-8\n"), run.stdout());
    }

    /** The value of {@code name}, as bytes, in the environment of the living uploader of this test's install. */
    private Optional<byte[]> uploaderValue(String name) throws IOException {
        byte[] key = (name + "=").getBytes(StandardCharsets.US_ASCII);
        byte[] mark = ("R=" + root).getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> all;
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            all = processes.toList();
        }
        for (ProcessHandle p : all) {
            byte[] cmdline;
            byte[] environ;
            try {
                cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
            } catch (IOException | SecurityException e) {
                continue;
            }
            if (!new String(cmdline, StandardCharsets.ISO_8859_1).contains("__upload")) {
                continue;
            }
            List<byte[]> entries = entries(environ);
            if (entries.stream().noneMatch(e -> Arrays.equals(e, mark))) {
                continue;
            }
            for (byte[] entry : entries) {
                if (entry.length >= key.length && Arrays.equals(entry, 0, key.length, key, 0, key.length)) {
                    return Optional.of(Arrays.copyOfRange(entry, key.length, entry.length));
                }
            }
        }
        return Optional.empty();
    }

    private static List<byte[]> entries(byte[] block) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= block.length; i++) {
            if (i == block.length || block[i] == 0) {
                if (i > start) {
                    out.add(Arrays.copyOfRange(block, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** {@code roar args...} through {@code sh -c script}, which sets a variable to bytes Java cannot write. */
    private RoarProcess.Result through(RoarProcess roar, String script, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        line.addAll(roar.builder(args).command());
        return Faults.finish(roar.builder().command(line), String.join(" ", args));
    }

    private int sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(root.toFile()).inheritIO().start();
        return p.waitFor();
    }
}
