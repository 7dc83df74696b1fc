package ai.treqs.roar.telemetry.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/telemetry.md#auto-suppression: the environment suppressions, first match wins. */
class SuppressionDetectorTest {

    /** The documented list, in the order of docs/telemetry.md#auto-suppression (not the production constant). */
    static final List<String> CI_MARKERS = List.of("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI",
            "TRAVIS", "APPVEYOR", "TEAMCITY_VERSION", "JENKINS_URL", "TF_BUILD", "BITBUCKET_BUILD_NUMBER",
            "CODEBUILD_BUILD_ID", "DRONE", "HEROKU_TEST_RUN_ID", "PYTEST_CURRENT_TEST");

    static final BackendJobDetector SAYS_YES = env -> true;
    static final BackendJobDetector SAYS_NO = env -> false;
    static final BackendJobDetector THROWS = env -> {
        throw new IllegalStateException("broken detector");
    };

    private static Optional<String> detect(Map<String, String> env, BackendJobDetector... registered) {
        return new SuppressionDetector(Detectors.of(registered)).detect(Environment.of(env));
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void aCleanEnvironmentSuppressesNothing() {
        assertEquals(Optional.empty(), detect(env("HOME", "/home/alice", "PATH", "/usr/bin")));
    }

    static Stream<Arguments> firstMatchWins() {
        return Stream.of(
                Arguments.of(env("DO_NOT_TRACK", "1", "ROAR_NO_TELEMETRY", "1", "CI", "true",
                        "ROAR_JOB_INSTRUMENTED", "1", "RAY_JOB_ID", "r"), "do_not_track"),
                Arguments.of(env("ROAR_NO_TELEMETRY", "1", "CI", "true", "ROAR_JOB_INSTRUMENTED", "1",
                        "RAY_JOB_ID", "r"), "roar_no_telemetry"),
                Arguments.of(env("PYTEST_CURRENT_TEST", "t.py::x", "ROAR_JOB_INSTRUMENTED", "1", "RAY_JOB_ID", "r"),
                        "ci:PYTEST_CURRENT_TEST"),
                Arguments.of(env("ROAR_JOB_INSTRUMENTED", "1", "RAY_JOB_ID", "r", "OSMO_JOB_ID", "o"),
                        "roar_job_instrumented"),
                Arguments.of(env("RAY_JOB_ID", "r", "OSMO_JOB_ID", "o", "OSMO_WORKFLOW_ID", "w"),
                        "backend_job_environment:RAY_JOB_ID"),
                Arguments.of(env("OSMO_JOB_ID", "o", "OSMO_WORKFLOW_ID", "w"), "backend_job_environment:OSMO_JOB_ID"),
                Arguments.of(env("OSMO_WORKFLOW_ID", "w"), "backend_job_environment:OSMO_WORKFLOW_ID"),
                // a falsy opt-out does not stop the search
                Arguments.of(env("DO_NOT_TRACK", "0", "ROAR_NO_TELEMETRY", "off", "CI", "false", "GITHUB_ACTIONS", "true"),
                        "ci:GITHUB_ACTIONS"),
                Arguments.of(env("DO_NOT_TRACK", "", "ROAR_JOB_INSTRUMENTED", "yes"), "roar_job_instrumented"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("firstMatchWins")
    void theFirstSuppressionInDocumentedOrderWins(Map<String, String> env, String expected) {
        assertEquals(Optional.of(expected), detect(env, SAYS_YES));
    }

    @ParameterizedTest
    @MethodSource("ciMarkers")
    void everyCiMarkerSuppressesUnderItsOwnName(String marker) {
        assertEquals(Optional.of("ci:" + marker), detect(env(marker, "true")));
    }

    static Stream<String> ciMarkers() {
        return CI_MARKERS.stream();
    }

    @ParameterizedTest(name = "{0} before {1}")
    @MethodSource("adjacentCiMarkers")
    void ciMarkersAreCheckedInTheDocumentedOrder(String earlier, String later) {
        assertEquals(Optional.of("ci:" + earlier), detect(env(later, "1", earlier, "1")));
    }

    static Stream<Arguments> adjacentCiMarkers() {
        return IntStream.range(0, CI_MARKERS.size() - 1)
                .mapToObj(i -> Arguments.of(CI_MARKERS.get(i), CI_MARKERS.get(i + 1)));
    }

    @ParameterizedTest(name = "DO_NOT_TRACK=\"{0}\" is falsy")
    @ValueSource(strings = {"", "0", "false", "no", "off", "FALSE", "No", "OFF", " 0 ", "\tfalse\n", "  ", " Off"})
    void falsyValuesDoNotOptOut(String value) {
        assertEquals(Optional.empty(), detect(env("DO_NOT_TRACK", value, "ROAR_NO_TELEMETRY", value, "CI", value,
                "ROAR_JOB_INSTRUMENTED", value)));
        assertFalse(Truthy.test(value));
    }

    @ParameterizedTest(name = "DO_NOT_TRACK=\"{0}\" is truthy")
    @ValueSource(strings = {"1", "true", "yes", "on", "TRUE", " 1 ", "2", "-1", "nope", "disabled", "n", "f", "00", "0.0", "false!"})
    void anyOtherValueOptsOut(String value) {
        assertEquals(Optional.of("do_not_track"), detect(env("DO_NOT_TRACK", value)));
        assertTrue(Truthy.test(value));
    }

    @Test
    void anUnsetVariableIsNotTruthy() {
        assertFalse(Truthy.test((String) null));
        assertFalse(Truthy.test(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RAY_JOB_ID", "OSMO_JOB_ID", "OSMO_WORKFLOW_ID"})
    void workerMarkersCountWhenPresentEvenEmptyOrFalsy(String marker) {
        assertEquals(Optional.of("backend_job_environment:" + marker), detect(env(marker, "")));
        assertEquals(Optional.of("backend_job_environment:" + marker), detect(env(marker, "0")));
    }

    @Test
    void aRegisteredDetectorThatSaysYesSuppressesLast() {
        assertEquals(Optional.of("backend_job_environment:registered"), detect(env(), SAYS_NO, SAYS_YES));
        assertEquals(Optional.of("backend_job_environment:RAY_JOB_ID"), detect(env("RAY_JOB_ID", "r"), SAYS_YES));
    }

    @Test
    void registeredDetectorsSeeTheInjectedEnvironment() {
        AtomicReference<Environment> seen = new AtomicReference<>();
        Environment environment = Environment.of(Map.of("SLURM_JOB_ID", "42"));
        Optional<String> reason = new SuppressionDetector(Detectors.of(e -> {
            seen.set(e);
            return e.get("SLURM_JOB_ID").isPresent();
        })).detect(environment);
        assertSame(environment, seen.get());
        assertEquals(Optional.of("backend_job_environment:registered"), reason);
    }

    @Test
    void aThrowingDetectorCountsAsNo() {
        assertEquals(Optional.empty(), detect(env(), THROWS));
        assertEquals(Optional.of("backend_job_environment:registered"), detect(env(), THROWS, SAYS_YES));
    }

    @Test
    void registeredDetectorsAreNotAskedWhenTheEnvironmentAlreadyDecides() {
        AtomicInteger asked = new AtomicInteger();
        detect(env("DO_NOT_TRACK", "1"), e -> asked.incrementAndGet() > 0);
        assertEquals(0, asked.get());
    }
}
