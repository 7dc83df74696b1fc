package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.telemetry.config.EffectiveConfig.EndpointSource;
import ai.treqs.roar.telemetry.env.Detectors;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.SuppressionDetector;
import ai.treqs.roar.telemetry.env.UserMessages;

/** docs/configuration.md#files with real files: where the project and system files are found, and warnings once per command. */
class ConfigLoaderTest {
    @TempDir Path root;

    private final Map<String, String> env = new HashMap<>();
    private Path cwd;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realErr;
    private final List<String> shown = new ArrayList<>();

    @BeforeEach
    void isolate() throws IOException {
        env.put("HOME", root.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("XDG_CONFIG_DIRS", root.resolve("etc-xdg").toString());
        cwd = Files.createDirectories(root.resolve("work/repo/src/deep"));
        realErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    /** The loader hands warnings over; it never prints (the cli does). */
    @AfterEach
    void restoreAndCheckNothingWasPrinted() {
        System.setErr(realErr);
        assertEquals("", stderr.toString(StandardCharsets.UTF_8));
    }

    private ConfigLoader loader() {
        return loader(Optional.empty());
    }

    private ConfigLoader loader(Optional<String> devEndpoint) {
        return new ConfigLoader(Environment.of(env), () -> cwd, new SuppressionDetector(Detectors.of()), devEndpoint,
                new UserMessages() {
                    @Override
                    public void warning(String text) {
                        shown.add(text);
                    }

                    @Override
                    public void notice(String text) {
                        throw new AssertionError("the loader shows no notice");
                    }
                });
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private List<String> warnings() {
        return List.copyOf(shown);
    }

    /** roar.dev.endpoint (settable with -D at run time) is quarkus dev's collector, never a packaged build's default. */
    @Test
    void aRunTimeDevEndpointDoesNotReplaceTheBakedDefaultOutsideQuarkusDev() {
        ConfigLoader loader = loader(Optional.of("http://127.0.0.1:9/dev"));

        assertEquals(BuildDefaults.load(), loader.build());
        assertEquals("https://api.glaas.ai/api/v1/telemetry/roar", loader.forCommand().endpoint());
        assertEquals(EndpointSource.DEFAULT, loader.forCommand().endpointSource());
    }

    @Test
    void theProjectFileOfTheNearestParentApplies() throws IOException {
        write(root.resolve("work/.roar/config.toml"), "[telemetry]\nenabled = true\n");
        Path nearest = write(root.resolve("work/repo/.roar/config.toml"), "[telemetry]\nenabled = false\n");
        EffectiveConfig c = loader().forCommand();
        assertEquals(Optional.of("project_disabled"), c.disabledReason());
        assertEquals(Optional.of(nearest), c.projectConfig());
    }

    @Test
    void aNearerProjectFileCannotCancelTheOptOutOfOneAboveIt() throws IOException {
        Path workspace = write(root.resolve("work/.roar/config.toml"), "[telemetry]\nenabled = false\n");
        Path nearest = write(root.resolve("work/repo/.roar/config.toml"), "# roar project configuration.\n");
        EffectiveConfig c = loader().forCommand();
        assertEquals(Optional.of("project_disabled"), c.disabledReason());
        assertEquals(Optional.of(nearest), c.projectConfig());
        assertEquals(Optional.of(workspace), c.projectRestriction());
        // the uploader applies no project file: events were queued under them (docs/telemetry.md#upload-mechanics)
        assertEquals(Optional.empty(), loader().forUploader().disabledReason());
    }

    @Test
    void theUploaderDoesNotLookAtProjectFiles() throws IOException {
        write(root.resolve("work/repo/.roar/config.toml"), "[telemetry]\nendpoint = \"\"\n");
        assertEquals(EndpointSource.PROJECT, loader().forCommand().endpointSource());
        EffectiveConfig uploader = loader().forUploader();
        assertEquals(EndpointSource.DEFAULT, uploader.endpointSource());
        assertTrue(uploader.uploadsEnabled());
    }

    @Test
    void aProjectFileOwnedBySomeoneElseIsIgnoredWithAWarning() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Path foreign = write(root.resolve("work/repo/.roar/config.toml"), "[telemetry]\nenabled = false\n");
        Files.setAttribute(foreign, "unix:uid", 65534);

        EffectiveConfig c = loader().forCommand();

        assertTrue(c.statsEnabled());
        assertEquals(Optional.empty(), c.disabledReason());
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains(foreign.toString()), warnings().get(0));
    }

    @Test
    void theSystemFileIsTheFirstAbsoluteXdgConfigDirThatHasOne() throws IOException {
        Path second = write(root.resolve("etc-b/roar/global.toml"), "[telemetry]\nenabled = false\n");
        write(root.resolve("etc-c/roar/global.toml"), "[telemetry]\nenabled = true\n");
        env.put("XDG_CONFIG_DIRS", "relative/etc:" + root.resolve("etc-a") + ":" + root.resolve("etc-b") + ":"
                + root.resolve("etc-c"));
        EffectiveConfig c = loader().forCommand();
        assertEquals(Optional.of(second), c.systemConfig());
        assertEquals(Optional.of("system_disabled"), c.disabledReason());
    }

    @Test
    void aUserTrueCannotUndoTheSystemsFalse() throws IOException {
        write(root.resolve("etc-xdg/roar/global.toml"), "telemetry.enabled = false\n");
        write(root.resolve("config/roar/global.toml"), "telemetry.enabled = true\n");
        assertEquals(Optional.of("system_disabled"), loader().forCommand().disabledReason());
    }

    @Test
    void anEmptyEnvironmentEndpointCountsAsSet() throws IOException {
        write(root.resolve("config/roar/global.toml"), "[telemetry]\nendpoint = \"https://global.example/t\"\n");
        env.put("ROAR_TELEMETRY_ENDPOINT", "");
        EffectiveConfig c = loader().forCommand();
        assertEquals("", c.endpoint());
        assertEquals(EndpointSource.ENV, c.endpointSource());
        assertEquals(Optional.of("empty_endpoint"), c.uploadsReason());
        assertTrue(c.statsEnabled());
    }

    @Test
    void anInvalidGlobalFileWarnsOncePerCommandNamingTheFileAndPosition() throws IOException {
        Path global = write(root.resolve("config/roar/global.toml"), "[telemetry]\nenabled = nope\n");
        ConfigLoader oneCommand = loader();
        EffectiveConfig c = oneCommand.forCommand();
        oneCommand.forCommand();
        oneCommand.forUploader();

        assertEquals(Optional.of("global_config_invalid"), c.disabledReason());
        assertEquals(1, warnings().size(), warnings().toString());
        assertTrue(warnings().get(0).contains(global.toString()), warnings().get(0));
        assertTrue(warnings().get(0).contains("line 2"), warnings().get(0));
    }

    @Test
    void noWarningWhenTheEnvironmentOptsOut() throws IOException {
        write(root.resolve("config/roar/global.toml"), "[telemetry]\nenabled = nope\nendpoint = 3\n");
        write(root.resolve("work/repo/.roar/config.toml"), "[telemetry]\nendpoint = \"https://evil.example/\"\n");
        env.put("DO_NOT_TRACK", "1");
        EffectiveConfig c = loader().forCommand();
        assertEquals(Optional.of("do_not_track"), c.suppression());
        assertEquals(List.of(), warnings());
    }

    @Test
    void resolvingTheConfigurationCreatesNothing() {
        loader().forCommand();
        assertFalse(Files.exists(root.resolve("config")));
        assertFalse(Files.exists(root.resolve("cache")));
        assertFalse(Files.exists(cwd.resolve(".roar")));
    }
}
