package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ai.treqs.roar.telemetry.config.ConfigResolver.Resolution;
import ai.treqs.roar.telemetry.config.ConfigResolver.Sources;
import ai.treqs.roar.telemetry.config.EffectiveConfig.EndpointSource;

/** docs/telemetry.md#precedence: who decides whether telemetry is on, and where it goes. */
class ConfigResolverTest {
    static final String DEFAULT_ENDPOINT = "https://api.glaas.ai/api/v1/telemetry/roar";
    static final BuildDefaults BUILD_ON = new BuildDefaults("0.3.0", true, DEFAULT_ENDPOINT);
    static final BuildDefaults BUILD_OFF = new BuildDefaults("0.3.0", false, DEFAULT_ENDPOINT);

    static final Path SYSTEM = Path.of("/etc/xdg/roar/global.toml");
    static final Path GLOBAL = Path.of("/home/alice/.config/roar/global.toml");
    static final Path PROJECT = Path.of("/home/alice/src/cloned/.roar/config.toml");

    // ---- a tiny vocabulary for the files a user might have ----

    static ConfigFile absent(Path p) {
        return new ConfigFile.Absent(p);
    }

    static ConfigFile invalid(Path p) {
        return new ConfigFile.Invalid(p, "line 2, column 9: unexpected character");
    }

    static ConfigFile enabled(Path p, boolean on) {
        return new ConfigFile.Valid(p, Optional.of(on), Optional.empty(), ConfigFile.IntegrationSwitches.NONE);
    }

    static ConfigFile endpoint(Path p, String url) {
        return new ConfigFile.Valid(p, Optional.empty(), Optional.of(url), ConfigFile.IntegrationSwitches.NONE);
    }

    static ConfigFile empty(Path p) {
        return new ConfigFile.Valid(p, Optional.empty(), Optional.empty(), ConfigFile.IntegrationSwitches.NONE);
    }

    static final class Given {
        Optional<String> suppression = Optional.empty();
        ConfigFile system = absent(SYSTEM);
        ConfigFile global = absent(GLOBAL);
        ConfigFile project = absent(PROJECT);
        Optional<String> envEndpoint = Optional.empty();
        BuildDefaults build = BUILD_ON;
        List<ConfigFile> enclosing = List.of();

        Given enclosing(ConfigFile... files) { enclosing = List.of(files); return this; }
        Given system(ConfigFile f) { system = f; return this; }
        Given global(ConfigFile f) { global = f; return this; }
        Given project(ConfigFile f) { project = f; return this; }
        Given env(String endpoint) { envEndpoint = Optional.of(endpoint); return this; }
        Given suppressed(String reason) { suppression = Optional.of(reason); return this; }
        Given build(BuildDefaults b) { build = b; return this; }

        Resolution resolve() {
            return ConfigResolver.resolve(new Sources(suppression, system, global, project, envEndpoint, build, false, enclosing));
        }

        EffectiveConfig config() {
            return resolve().config();
        }
    }

    static Given given() {
        return new Given();
    }

    // ---- endpoint precedence ----

    @Test
    void aFreshInstallUsesTheBuildDefaultEndpointAndIsOn() {
        Resolution r = given().resolve();
        EffectiveConfig c = r.config();
        assertTrue(c.statsEnabled());
        assertTrue(c.uploadsEnabled());
        assertEquals(DEFAULT_ENDPOINT, c.endpoint());
        assertEquals(EndpointSource.DEFAULT, c.endpointSource());
        assertEquals(Optional.empty(), c.suppression());
        assertEquals(Optional.empty(), c.disabledReason());
        assertEquals(Optional.empty(), c.uploadsReason());
        assertEquals(Optional.empty(), c.systemConfig());
        assertEquals(Optional.empty(), c.projectConfig());
        assertEquals(GLOBAL, c.globalConfig());
        assertEquals(List.of(), r.warnings());
    }

    static Stream<Arguments> endpointPrecedence() {
        String env = "https://env.example/t";
        String global = "https://global.example/t";
        String system = "https://system.example/t";
        return Stream.of(
                Arguments.of(env, global, system, env, EndpointSource.ENV),
                Arguments.of(null, global, system, global, EndpointSource.GLOBAL),
                Arguments.of(null, null, system, system, EndpointSource.SYSTEM),
                Arguments.of(null, null, null, DEFAULT_ENDPOINT, EndpointSource.DEFAULT),
                Arguments.of(env, null, system, env, EndpointSource.ENV),
                Arguments.of(env, null, null, env, EndpointSource.ENV),
                Arguments.of(null, global, null, global, EndpointSource.GLOBAL));
    }

    @ParameterizedTest(name = "env={0} global={1} system={2} -> {4}")
    @MethodSource("endpointPrecedence")
    void theEndpointComesFromEnvThenGlobalThenSystemThenDefault(String env, String global, String system,
                                                               String expected, EndpointSource source) {
        Given g = given();
        if (env != null) g.env(env);
        if (global != null) g.global(endpoint(GLOBAL, global));
        if (system != null) g.system(endpoint(SYSTEM, system));
        EffectiveConfig c = g.config();
        assertEquals(expected, c.endpoint());
        assertEquals(source, c.endpointSource());
        assertTrue(c.uploadsEnabled());
    }

    @Test
    void anEmptyEnvironmentEndpointMeansNoUploadsButStatsAreStillKept() {
        EffectiveConfig c = given().env("").global(endpoint(GLOBAL, "https://global.example/t")).config();
        assertEquals("", c.endpoint());
        assertEquals(EndpointSource.ENV, c.endpointSource());
        assertTrue(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(Optional.of("empty_endpoint"), c.uploadsReason());
        assertEquals(Optional.of("empty_endpoint"), c.noUploadReason());
    }

    @Test
    void anEmptyGlobalEndpointIsSetAndBeatsTheSystemAndTheDefault() {
        EffectiveConfig c = given().global(endpoint(GLOBAL, "")).system(endpoint(SYSTEM, "https://system.example/t")).config();
        assertEquals("", c.endpoint());
        assertEquals(EndpointSource.GLOBAL, c.endpointSource());
        assertTrue(c.statsEnabled());
        assertEquals(Optional.of("empty_endpoint"), c.uploadsReason());
    }

    // ---- a project can only restrict ----

    @Test
    void aProjectThatSaysDisabledWinsOverAGlobalTrue() {
        EffectiveConfig c = given().global(enabled(GLOBAL, true)).project(enabled(PROJECT, false)).config();
        assertFalse(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(Optional.of("project_disabled"), c.disabledReason());
        assertEquals(Optional.of(PROJECT), c.projectConfig());
    }

    @Test
    void aProjectTrueCannotSwitchOnWhatTheBuildDefaultLeftOff() {
        EffectiveConfig c = given().build(BUILD_OFF).project(enabled(PROJECT, true)).config();
        assertFalse(c.statsEnabled());
        assertEquals(Optional.of("build_default_disabled"), c.disabledReason());
    }

    @Test
    void anEmptyProjectEndpointForbidsUploadsWhateverTheEnvironmentSays() {
        EffectiveConfig c = given().env("https://env.example/t").global(endpoint(GLOBAL, "https://global.example/t"))
                .project(endpoint(PROJECT, "")).config();
        assertEquals("", c.endpoint());
        assertEquals(EndpointSource.PROJECT, c.endpointSource());
        assertTrue(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(Optional.of("empty_endpoint"), c.uploadsReason());
    }

    @Test
    void aClonedRepositoryCannotRedirectTelemetryAndIsWarnedAbout() {
        Resolution r = given().global(endpoint(GLOBAL, "https://global.example/t"))
                .project(endpoint(PROJECT, "https://evil.example/collect")).resolve();
        assertEquals("https://global.example/t", r.config().endpoint());
        assertEquals(EndpointSource.GLOBAL, r.config().endpointSource());
        assertTrue(r.config().uploadsEnabled());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        String warning = r.warnings().get(0);
        assertTrue(warning.contains(PROJECT.toString()), warning);
        assertTrue(warning.contains("endpoint"), warning);
        assertFalse(warning.contains("\n"), warning);
    }

    @Test
    void aForeignProjectFileIsIgnoredWithAWarning() {
        Resolution r = given().project(new ConfigFile.Foreign(PROJECT)).resolve();
        assertTrue(r.config().statsEnabled());
        assertTrue(r.config().uploadsEnabled());
        assertEquals(Optional.empty(), r.config().disabledReason());
        assertEquals(DEFAULT_ENDPOINT, r.config().endpoint());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains(PROJECT.toString()), r.warnings().get(0));
        assertTrue(r.warnings().get(0).contains("not owned"), r.warnings().get(0));
    }

    @Test
    void unknownKeysAreWarnedAboutNamingTheFileAndChangeNothing() {
        ConfigFile typo = new ConfigFile.Valid(GLOBAL, Optional.empty(), Optional.empty(),
                ConfigFile.IntegrationSwitches.NONE, List.of("telemetry.enable"));
        Resolution r = given().global(typo).resolve();
        assertTrue(r.config().statsEnabled());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith(GLOBAL + ": ignoring unknown key 'telemetry.enable' ("), r.warnings().get(0));
    }

    @Test
    void aGlobalFileInAForeignDirectorySaysWhatIsForeign() {
        String why = "it is the current user's file but in a directory others can change: /home/alice/.config/roar is owned by uid 7";
        Resolution r = given().global(new ConfigFile.Foreign(GLOBAL, why)).resolve();
        assertEquals(List.of(GLOBAL + ": ignored, " + why), r.warnings());
    }

    // ---- disabled reasons, first that applies ----

    static Stream<Arguments> disabledReasons() {
        return Stream.of(
                // every later source also says "off": the earliest reason is the one shown
                Arguments.of(invalid(SYSTEM), invalid(GLOBAL), invalid(PROJECT), BUILD_OFF, "system_config_invalid"),
                Arguments.of(enabled(SYSTEM, false), invalid(GLOBAL), invalid(PROJECT), BUILD_OFF, "system_disabled"),
                Arguments.of(absent(SYSTEM), invalid(GLOBAL), invalid(PROJECT), BUILD_OFF, "global_config_invalid"),
                Arguments.of(absent(SYSTEM), enabled(GLOBAL, false), invalid(PROJECT), BUILD_OFF, "global_disabled"),
                Arguments.of(absent(SYSTEM), absent(GLOBAL), invalid(PROJECT), BUILD_OFF, "project_config_invalid"),
                Arguments.of(absent(SYSTEM), absent(GLOBAL), enabled(PROJECT, false), BUILD_OFF, "project_disabled"),
                Arguments.of(absent(SYSTEM), absent(GLOBAL), absent(PROJECT), BUILD_OFF, "build_default_disabled"),
                // a system "off" is final: a user's true cannot undo it
                Arguments.of(enabled(SYSTEM, false), enabled(GLOBAL, true), absent(PROJECT), BUILD_ON, "system_disabled"),
                // an invalid global file fails closed even when the system says on
                Arguments.of(enabled(SYSTEM, true), invalid(GLOBAL), absent(PROJECT), BUILD_ON, "global_config_invalid"),
                Arguments.of(absent(SYSTEM), enabled(GLOBAL, true), invalid(PROJECT), BUILD_ON, "project_config_invalid"),
                Arguments.of(absent(SYSTEM), empty(GLOBAL), empty(PROJECT), BUILD_OFF, "build_default_disabled"),
                Arguments.of(absent(SYSTEM), enabled(GLOBAL, false), absent(PROJECT), BUILD_ON, "global_disabled"));
    }

    @ParameterizedTest(name = "[{index}] {4}")
    @MethodSource("disabledReasons")
    void theFirstDisabledReasonThatAppliesIsShown(ConfigFile system, ConfigFile global, ConfigFile project,
                                                   BuildDefaults build, String reason) {
        EffectiveConfig c = given().system(system).global(global).project(project).build(build).config();
        assertFalse(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(Optional.of(reason), c.disabledReason());
        assertEquals(Optional.of(reason), c.noUploadReason());
        assertEquals(Optional.empty(), c.suppression());
    }

    @Test
    void aBuildDefaultOffIsOverruledByAGlobalTrue() {
        EffectiveConfig c = given().build(BUILD_OFF).global(enabled(GLOBAL, true)).config();
        assertTrue(c.statsEnabled());
        assertTrue(c.uploadsEnabled());
        assertEquals(Optional.empty(), c.disabledReason());
    }

    @Test
    void aBuildDefaultOffIsOverruledByASystemTrue() {
        EffectiveConfig c = given().build(BUILD_OFF).system(enabled(SYSTEM, true)).config();
        assertTrue(c.statsEnabled());
        assertEquals(Optional.empty(), c.disabledReason());
        assertEquals(Optional.of(SYSTEM), c.systemConfig());
    }

    @Test
    void anInvalidFileIsWarnedAboutWithItsPathAndTheParsersPosition() {
        Resolution r = given().global(invalid(GLOBAL)).resolve();
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        String warning = r.warnings().get(0);
        assertTrue(warning.startsWith(GLOBAL.toString()), warning);
        assertTrue(warning.contains("line 2, column 9"), warning);
        assertFalse(warning.contains("\n"), warning);
    }

    // ---- environment suppression ----

    @Test
    void aSuppressionTurnsEverythingOffButIsNotADisabledReason() {
        EffectiveConfig c = given().suppressed("do_not_track").global(enabled(GLOBAL, true)).config();
        assertFalse(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(Optional.of("do_not_track"), c.suppression());
        assertEquals(Optional.empty(), c.disabledReason());
        assertEquals(Optional.of("do_not_track"), c.noUploadReason());
    }

    @Test
    void theSuppressionIsTheNoUploadReasonEvenWhenAFileAlsoDisables() {
        EffectiveConfig c = given().suppressed("ci:CI").global(enabled(GLOBAL, false)).config();
        assertEquals(Optional.of("ci:CI"), c.suppression());
        assertEquals(Optional.of("global_disabled"), c.disabledReason());
        assertEquals(Optional.of("ci:CI"), c.noUploadReason());
    }

    @Test
    void noWarningsAtAllWhenAnEnvironmentOptOutAlreadyDecides() {
        Resolution r = given().suppressed("do_not_track")
                .system(invalid(SYSTEM))
                .global(endpoint(GLOBAL, "ftp://not-http.example/"))
                .project(endpoint(PROJECT, "https://evil.example/collect"))
                .resolve();
        assertEquals(List.of(), r.warnings());

        Resolution foreign = given().suppressed("roar_no_telemetry").project(new ConfigFile.Foreign(PROJECT)).resolve();
        assertEquals(List.of(), foreign.warnings());
    }

    // ---- invalid endpoints ----

    @ParameterizedTest
    @MethodSource("unusableEndpoints")
    void anUnusableEndpointFromAnySourceMeansNoUploadsWithAWarning(String url, Given given, String sourceLabel) {
        Resolution r = given.resolve();
        assertEquals(url, r.config().endpoint());
        assertTrue(r.config().statsEnabled());
        assertFalse(r.config().uploadsEnabled());
        assertEquals(Optional.of("invalid_endpoint"), r.config().uploadsReason());
        assertEquals(Optional.of("invalid_endpoint"), r.config().noUploadReason());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains(sourceLabel), r.warnings().get(0));
    }

    static Stream<Arguments> unusableEndpoints() {
        return Stream.of(
                Arguments.of("ftp://files.example/t", given().env("ftp://files.example/t"), "env"),
                Arguments.of("https://user:secret@host.example/t",
                        given().global(endpoint(GLOBAL, "https://user:secret@host.example/t")), "global"),
                Arguments.of("not a url", given().system(endpoint(SYSTEM, "not a url")), "system"),
                Arguments.of("file:///etc/passwd", given().build(new BuildDefaults("0.3.0", true, "file:///etc/passwd")),
                        "default"));
    }

    // ---- roar's own integrations (feature capabilities) ----

    @Test
    void integrationSwitchesComeFromTheNearestFileThatSetsThem() {
        ConfigFile system = new ConfigFile.Valid(SYSTEM, Optional.empty(), Optional.empty(),
                new ConfigFile.IntegrationSwitches(Optional.of(true), Optional.of(true), Optional.of(true)));
        ConfigFile global = new ConfigFile.Valid(GLOBAL, Optional.empty(), Optional.empty(),
                new ConfigFile.IntegrationSwitches(Optional.of(false), Optional.empty(), Optional.empty()));
        ConfigFile project = new ConfigFile.Valid(PROJECT, Optional.empty(), Optional.empty(),
                new ConfigFile.IntegrationSwitches(Optional.empty(), Optional.of(false), Optional.empty()));
        EffectiveConfig c = given().system(system).global(global).project(project).config();
        assertEquals(new EffectiveConfig.Integrations(false, false, true), c.integrations());
    }

    // ---- project files around the nearest one (docs/configuration.md#the-project-file) ----

    static final Path WORKSPACE = Path.of("/home/alice/src/.roar/config.toml");

    @Test
    void aProjectFileAroundTheNearestOneStillSwitchesTelemetryOff() {
        EffectiveConfig c = given().global(enabled(GLOBAL, true)).project(empty(PROJECT)).enclosing(enabled(WORKSPACE, false)).config();
        assertFalse(c.statsEnabled());
        assertEquals(Optional.of("project_disabled"), c.disabledReason());
        assertEquals(Optional.of(PROJECT), c.projectConfig(), "--status still names the nearest file");
        assertEquals(Optional.of(WORKSPACE), c.projectRestriction(), "and says which one restricts");
    }

    @Test
    void anEmptyEndpointAroundTheNearestFileForbidsUploads() {
        EffectiveConfig c = given().env("https://collector.example/t").project(empty(PROJECT)).enclosing(endpoint(WORKSPACE, "")).config();
        assertTrue(c.statsEnabled());
        assertFalse(c.uploadsEnabled());
        assertEquals(EndpointSource.PROJECT, c.endpointSource());
        assertEquals(Optional.of(WORKSPACE), c.projectRestriction());
    }

    @Test
    void anInvalidFileAroundTheNearestOneFailsClosedAndOnlyRestrictions() {
        assertEquals(Optional.of("project_config_invalid"),
                given().project(enabled(PROJECT, false)).enclosing(invalid(WORKSPACE)).config().disabledReason());
        // an enclosing file can switch nothing on and redirect nothing
        EffectiveConfig c = given().build(BUILD_OFF).project(empty(PROJECT)).enclosing(enabled(WORKSPACE, true)).config();
        assertEquals(Optional.of("build_default_disabled"), c.disabledReason());
        Resolution r = given().project(empty(PROJECT)).enclosing(endpoint(WORKSPACE, "https://evil.example/t")).resolve();
        assertEquals(DEFAULT_ENDPOINT, r.config().endpoint());
        assertEquals(Optional.empty(), r.config().projectRestriction());
    }
}
