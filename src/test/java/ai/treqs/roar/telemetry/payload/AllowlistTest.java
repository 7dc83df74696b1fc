package ai.treqs.roar.telemetry.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;

/** docs/telemetry.md#upload-mechanics: the uploader's second look rejects anything that is not exactly a schema-1 payload. */
class AllowlistTest {

    @Test
    void aPayloadBuiltByRoarPasses() {
        assertEquals(Optional.empty(), Allowlist.violation(PayloadFixtures.validPayload()));
    }

    @Test
    void whatTheBuilderMakesFromStatsAtThisBuildsSchemaPasses() {
        Stats fresh = Stats.fresh(Instant.parse("2026-11-20T10:00:00Z"));
        fresh.incrementSubcommand("init");
        Map<String, Object> payload = PayloadBuilder.build(fresh, Trigger.INIT, 1, PayloadFixtures.EVENT_ID,
                Instant.parse("2026-11-20T10:00:01Z"), "0.3.0", new Platform("linux", "x86_64"));
        assertEquals((long) Stats.SCHEMA_VERSION, payload.get("stats_schema_version"));
        assertEquals(Optional.empty(), Allowlist.violation(payload));
    }

    /** A build that bumps the stats schema still uploads what an older build queued, and what it builds itself. */
    @Test
    void aStatsSchemaBumpKeepsEveryQueuedEventUploadable() {
        int bumped = Stats.SCHEMA_VERSION + 1;
        Map<String, Object> queuedBefore = PayloadFixtures.validPayload();
        Map<String, Object> builtAfter = PayloadFixtures.validPayload();
        builtAfter.put("stats_schema_version", (long) bumped);
        Map<String, Object> fromTheFuture = PayloadFixtures.validPayload();
        fromTheFuture.put("stats_schema_version", (long) bumped + 1);

        assertEquals(Optional.empty(), Allowlist.violation(queuedBefore, bumped));
        assertEquals(Optional.empty(), Allowlist.violation(builtAfter, bumped));
        assertEquals(Optional.of("stats_schema_version"), Allowlist.violation(fromTheFuture, bumped));
        assertEquals(Optional.of("stats_schema_version"), Allowlist.violation(builtAfter));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> payload, String key) {
        return (Map<String, Object>) payload.get(key);
    }

    private static Arguments spoil(String what, String reason, Consumer<Map<String, Object>> change) {
        return Arguments.of(what, reason, change);
    }

    static Stream<Arguments> spoiled() {
        return Stream.of(
                spoil("an extra top-level key", "top-level keys differ from the allowlist", p -> p.put("hostname", "alice-laptop")),
                spoil("an extra null key", "top-level keys differ from the allowlist", p -> p.put("user", null)),
                spoil("a missing key", "top-level keys differ from the allowlist", p -> p.remove("version")),
                spoil("payload schema 2", "payload_schema_version", p -> p.put("payload_schema_version", 2L)),
                spoil("payload schema as a string", "payload_schema_version", p -> p.put("payload_schema_version", "1")),
                spoil("stats schema 2", "stats_schema_version", p -> p.put("stats_schema_version", 2L)),
                spoil("stats schema 0", "stats_schema_version", p -> p.put("stats_schema_version", 0L)),
                spoil("stats schema as a string", "stats_schema_version", p -> p.put("stats_schema_version", "1")),
                spoil("an event id with a path", "event_id", p -> p.put("event_id", "../../etc/passwd")),
                spoil("an event id with a space", "event_id", p -> p.put("event_id", "a b")),
                spoil("an empty event id", "event_id", p -> p.put("event_id", "")),
                spoil("an event id of 129 characters", "event_id", p -> p.put("event_id", "a".repeat(129))),
                spoil("an install id that is not a uuid", "install_id", p -> p.put("install_id", "alice@laptop")),
                spoil("an upper-case install id", "install_id", p -> p.put("install_id", PayloadFixtures.INSTALL_ID.toUpperCase())),
                spoil("sequence 0", "sequence", p -> p.put("sequence", 0L)),
                spoil("sequence as a string", "sequence", p -> p.put("sequence", "5")),
                spoil("a timestamp with a local time", "first_seen", p -> p.put("first_seen", "2026-11-01 09:00:00")),
                spoil("a timestamp with fractions", "trigger_ts", p -> p.put("trigger_ts", "2026-11-20T10:00:00.123Z")),
                spoil("counters_as_of with an offset", "counters_as_of", p -> p.put("counters_as_of", "2026-11-20T10:00:00+01:00")),
                spoil("the preview trigger", "trigger", p -> p.put("trigger", "preview")),
                spoil("an unknown trigger", "trigger", p -> p.put("trigger", "python train.py")),
                spoil("a version with a story", "version", p -> p.put("version", "0.3.0 built on alice-laptop")),
                spoil("platform with a hostname", "platform", p -> sub(p, "platform").put("hostname", "alice-laptop")),
                spoil("platform with a distribution", "platform", p -> sub(p, "platform").put("distro", "debian 12")),
                spoil("platform without arch", "platform", p -> sub(p, "platform").remove("arch")),
                spoil("an unknown os class", "platform", p -> sub(p, "platform").put("os", "debian")),
                spoil("an arch with a space", "platform", p -> sub(p, "platform").put("arch", "x86 64")),
                spoil("platform as a string", "platform", p -> p.put("platform", "linux/x86_64")),
                spoil("an extra subcommand counter", "subcommand_counts", p -> sub(p, "subcommand_counts").put("python train.py", 1L)),
                spoil("a zero counter", "subcommand_counts", p -> sub(p, "subcommand_counts").put("build", 0L)),
                spoil("a negative counter", "subcommand_counts", p -> sub(p, "subcommand_counts").put("build", -1L)),
                spoil("a counter as a string", "subcommand_counts", p -> sub(p, "subcommand_counts").put("build", "1")),
                spoil("a fractional counter", "subcommand_counts", p -> sub(p, "subcommand_counts").put("build", 1.5)),
                spoil("an unknown tracer", "tracer_selections", p -> sub(p, "tracer_selections").put("strace", 1L)),
                spoil("an unknown capability", "feature_capabilities", p -> sub(p, "feature_capabilities").put("hostname", true)),
                spoil("an endpoint as its kind", "feature_capabilities",
                        p -> sub(p, "feature_capabilities").put("glaas_endpoint_kind", "https://internal.example/")),
                spoil("a capability that is not a boolean", "feature_capabilities",
                        p -> sub(p, "feature_capabilities").put("ray_enabled", "yes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spoiled")
    void anythingBeyondTheAllowlistIsAViolation(String what, String reason, Consumer<Map<String, Object>> change) {
        Map<String, Object> payload = PayloadFixtures.validPayload();
        change.accept(payload);
        assertEquals(Optional.of(reason), Allowlist.violation(payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7c9e6679-7425-40de-944b-e07fc1f90ae7", "a", "A.b_c:d-e"})
    void eventIdsMatchTheDocumentedPattern(String id) {
        assertTrue(Allowlist.isValidEventId(id));
        assertTrue(Allowlist.isValidEventId(id.repeat(128).substring(0, 128)), "128 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..\\x", "a b", "é", "id\n", "a;rm"})
    void otherEventIdsAreRefused(String id) {
        assertFalse(Allowlist.isValidEventId(id));
        assertFalse(Allowlist.isValidEventId(null));
    }

    @Test
    void emptyCounterMapsAndCapabilitiesAreFine() {
        Map<String, Object> payload = PayloadFixtures.validPayload();
        payload.put("subcommand_counts", Map.of());
        payload.put("tracer_selections", Map.of());
        payload.put("feature_capabilities", Map.of());
        assertEquals(Optional.empty(), Allowlist.violation(payload));
    }

    @Test
    void theAllowedNamesAreTheDocumentedOnes() {
        assertEquals(java.util.Set.of("run", "run_success", "run_failed_dirty", "run_failed_tracer_setup",
                "run_failed_user_exit", "run_failed_interrupted", "run_failed_internal", "build", "init", "reset",
                "register", "show", "dag", "log", "status", "get", "put", "inputs", "diff", "lineage", "reproduce",
                "projects", "auth", "config", "env", "label", "login", "logout", "osmo", "pop", "proxy", "tracer",
                "tui", "whoami", "workflow"), Allowlist.SUBCOMMANDS);
        assertEquals(java.util.Set.of("preload", "ptrace", "ebpf", "native", "auto", "disabled", "unknown"),
                Allowlist.TRACERS);
    }

    @Test
    void countersDropUnknownNamesZerosNegativesAndNonIntegers() {
        Map<String, Object> counts = new HashMap<>();
        counts.put("run", 2L);
        counts.put("build", 0L);
        counts.put("show", -3L);
        counts.put("log", "7");
        counts.put("python train.py", 9L);
        assertEquals(Map.of("run", 2L), Allowlist.counters(counts, Allowlist.SUBCOMMANDS));
    }
}
