package ai.treqs.roar.telemetry.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.policy.Trigger;

/**
 * The published JSON Schema ({@code roar telemetry --schema}, what a collector validates against) and
 * {@link Allowlist#violation} accept and reject the same payloads, in both directions: many generated
 * valid payloads, and single mutations of each rule applied to them. Both see the same JSON text.
 */
class PayloadSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-";
    private static final String VERSION_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+-";
    private static final String ARCH_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_";

    private static JsonSchema schema;
    private final Random random = new Random(20261129);

    @BeforeAll
    static void loadSchema() {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(PayloadSchema.text());
    }

    @Test
    void theSchemaCommandPrintsTheResourceAsValidJson() throws Exception {
        String text = PayloadSchema.text();
        assertTrue(text.endsWith("}\n"), "ends with a newline");
        assertEquals("object", MAPPER.readTree(text).get("type").asText());
        assertEquals(Allowlist.TOP_LEVEL_KEYS.size(), MAPPER.readTree(text).get("required").size());
    }

    @Test
    void generatedValidPayloadsPassBoth() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String json = Json.writeString(randomPayload());
            Verdicts v = verdicts(json);
            if (!v.schema || !v.allowlist) {
                disagreements.add(v + " " + json);
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void roarsOwnPayloadPassesBoth() throws Exception {
        Verdicts v = verdicts(Json.writeString(PayloadFixtures.validPayload()));
        assertTrue(v.schema && v.allowlist, v.toString());
    }

    @Test
    void everySingleMutationIsJudgedAlikeByBoth() throws Exception {
        Map<String, Consumer<Map<String, Object>>> mutations = mutations();
        List<String> disagreements = new ArrayList<>();
        int rejected = 0;
        int accepted = 0;
        for (Map.Entry<String, Consumer<Map<String, Object>>> m : mutations.entrySet()) {
            for (int i = 0; i < 5; i++) {
                Map<String, Object> payload = randomPayload();
                m.getValue().accept(payload);
                String json = Json.writeString(payload);
                Verdicts v = verdicts(json);
                if (v.schema != v.allowlist) {
                    disagreements.add(m.getKey() + ": " + v + " " + json);
                }
                if (v.allowlist) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(rejected > 5 * 100, "the mutations are mostly violations: " + rejected);
        assertTrue(accepted > 0, "and some are still valid payloads (both directions): " + accepted);
    }

    @Test
    void rawJsonTheSerialiserNeverWritesIsJudgedAlikeToo() throws Exception {
        String valid = Json.writeString(randomPayload());
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("a fractional sequence", valid.replaceFirst("\"sequence\":\\d+", "\"sequence\":1.5"));
        raw.put("an exponent sequence", valid.replaceFirst("\"sequence\":\\d+", "\"sequence\":1e400"));
        raw.put("a sequence beyond 64 bits", valid.replaceFirst("\"sequence\":\\d+", "\"sequence\":9223372036854775808"));
        raw.put("a negative sequence", valid.replaceFirst("\"sequence\":\\d+", "\"sequence\":-3"));
        raw.put("an escaped key", valid.replaceFirst("\"trigger\":", "\"trig\\\\u0067er\":"));
        raw.put("an escaped value", valid.replaceFirst("\"os\":\"[a-z]+\"", "\"os\":\"lin\\\\u0075x\""));
        List<String> disagreements = new ArrayList<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            Verdicts v = verdicts(e.getValue());
            if (v.schema != v.allowlist) {
                disagreements.add(e.getKey() + ": " + v + " " + e.getValue());
            }
        }
        assertEquals(List.of(), disagreements);
    }

    record Verdicts(boolean schema, boolean allowlist) {
        @Override public String toString() {
            return "schema " + (schema ? "accepts" : "rejects") + ", allowlist " + (allowlist ? "accepts" : "rejects");
        }
    }

    private static Verdicts verdicts(String json) throws Exception {
        boolean bySchema = schema.validate(MAPPER.readTree(json)).isEmpty();
        boolean byAllowlist;
        try {
            byAllowlist = Allowlist.violation(Json.parseObject(json.getBytes(StandardCharsets.UTF_8))).isEmpty();
        } catch (Json.MalformedJsonException e) {
            byAllowlist = false; // the uploader deletes a queued file that does not parse, unsent (a number beyond a double, ...)
        }
        return new Verdicts(bySchema, byAllowlist);
    }

    // ---- valid payloads ----

    private Map<String, Object> randomPayload() {
        Map<String, Object> p = new TreeMap<>();
        p.put("payload_schema_version", 1L);
        p.put("stats_schema_version", 1L);
        p.put("event_id", random.nextBoolean() ? UUID.randomUUID().toString() : randomString(ID_CHARS, 1, 128));
        p.put("install_id", new UUID(random.nextLong(), random.nextLong()).toString());
        p.put("sequence", random.nextBoolean() ? 1L + random.nextInt(1000) : 1L + (random.nextLong() & Long.MAX_VALUE - 1));
        p.put("first_seen", timestamp());
        List<Trigger> uploadable = List.of(Trigger.values()).stream().filter(Trigger::isUploadable).toList();
        p.put("trigger", uploadable.get(random.nextInt(uploadable.size())).wireName());
        p.put("trigger_ts", timestamp());
        p.put("counters_as_of", timestamp());
        p.put("version", randomString(VERSION_CHARS, 1, 32));
        Map<String, Object> platform = new TreeMap<>();
        platform.put("os", List.copyOf(Allowlist.OS_CLASSES).get(random.nextInt(Allowlist.OS_CLASSES.size())));
        platform.put("arch", randomString(ARCH_CHARS, 1, 16));
        p.put("platform", platform);
        p.put("subcommand_counts", counters(Allowlist.SUBCOMMANDS));
        p.put("tracer_selections", counters(Allowlist.TRACERS));
        Map<String, Object> capabilities = new TreeMap<>();
        if (random.nextInt(4) > 0) {
            capabilities.put("glaas_endpoint_kind", List.copyOf(Allowlist.ENDPOINT_KINDS).get(random.nextInt(4)));
        }
        for (String name : Allowlist.BOOLEAN_CAPABILITIES) {
            if (random.nextInt(4) > 0) {
                capabilities.put(name, random.nextBoolean());
            }
        }
        p.put("feature_capabilities", capabilities);
        return p;
    }

    private Map<String, Object> counters(java.util.Set<String> names) {
        Map<String, Object> counts = new TreeMap<>();
        for (String name : names) {
            if (random.nextInt(3) == 0) {
                counts.put(name, random.nextInt(5) == 0 ? Long.MAX_VALUE : 1L + random.nextInt(50));
            }
        }
        return counts;
    }

    private String timestamp() {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", 2000 + random.nextInt(100), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60));
    }

    private String randomString(String chars, int min, int max) {
        int length = random.nextInt(4) == 0 ? (random.nextBoolean() ? min : max) : min + random.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }

    // ---- single mutations, one rule at a time ----

    private Map<String, Consumer<Map<String, Object>>> mutations() {
        Map<String, Consumer<Map<String, Object>>> m = new LinkedHashMap<>();
        List<Object> wrongTypes = List.of("1", 1L, 1.5, true, List.of(), new TreeMap<>());
        java.util.function.Supplier<Object> nullValue = () -> null;
        for (String key : Allowlist.TOP_LEVEL_KEYS) {
            m.put("missing " + key, p -> p.remove(key));
            m.put(key + " null", p -> p.put(key, nullValue.get()));
            for (Object wrong : wrongTypes) {
                m.put(key + " as " + describe(wrong), p -> p.put(key, wrong));
            }
        }
        m.put("an unknown top-level key", p -> p.put("hostname", "box"));
        m.put("an unknown top-level key with a null", p -> p.put("user", null));
        m.put("payload_schema_version 2", p -> p.put("payload_schema_version", 2L));
        m.put("payload_schema_version 0", p -> p.put("payload_schema_version", 0L));
        m.put("stats_schema_version 2", p -> p.put("stats_schema_version", 2L));
        for (String id : List.of("", "a b", "a/b", "é", "x".repeat(129), "id\n", "\nid", "id\u0000")) {
            m.put("event_id " + describe(id), p -> p.put("event_id", id));
        }
        m.put("event_id of 128 characters", p -> p.put("event_id", "e".repeat(128)));
        for (String id : List.of("0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5bd9cb469fa16570867728950e",
                "0f8fad5b-d9cb-469f-a165-70867728950e\n", "{0f8fad5b-d9cb-469f-a165-70867728950e}", "")) {
            m.put("install_id " + describe(id), p -> p.put("install_id", id));
        }
        for (long seq : List.of(0L, -1L, Long.MIN_VALUE)) {
            m.put("sequence " + seq, p -> p.put("sequence", seq));
        }
        m.put("sequence at the 64-bit maximum", p -> p.put("sequence", Long.MAX_VALUE));
        m.put("sequence beyond 64 bits", p -> p.put("sequence", new java.math.BigInteger("9223372036854775808")));
        for (String key : List.of("first_seen", "trigger_ts", "counters_as_of")) {
            for (String ts : List.of("2026-11-20T10:00:00.789Z", "2026-11-20 10:00:00Z", "2026-11-20T10:00:00",
                    "2026-11-20T10:00:00+00:00", "2026-11-20T10:00:00Z\n", "２０２６-11-20T10:00:00Z", "",
                    "26-11-20T10:00:00Z", "2026-11-20T10:00:00z")) {
                m.put(key + " " + describe(ts), p -> p.put(key, ts));
            }
        }
        for (String trigger : List.of(Trigger.PREVIEW.wireName(), "INIT", "heartbeat", "", "init\n")) {
            m.put("trigger " + describe(trigger), p -> p.put("trigger", trigger));
        }
        for (String version : List.of("", "v".repeat(33), "0.3.0 beta", "0.3.0/x", "0.3.0_1", "é", "0.3.0\n")) {
            m.put("version " + describe(version), p -> p.put("version", version));
        }
        m.put("version of 32 characters", p -> p.put("version", "1".repeat(32)));
        m.put("platform without os", p -> platform(p).remove("os"));
        m.put("platform without arch", p -> platform(p).remove("arch"));
        m.put("platform with a distribution", p -> platform(p).put("distribution", "debian"));
        m.put("platform os debian", p -> platform(p).put("os", "debian"));
        m.put("platform os Linux", p -> platform(p).put("os", "Linux"));
        m.put("platform os as true", p -> platform(p).put("os", true));
        for (String arch : List.of("X86_64", "x86-64", "a".repeat(17), "", "arm64\n", "arm 64")) {
            m.put("arch " + describe(arch), p -> platform(p).put("arch", arch));
        }
        m.put("arch of 16 characters", p -> platform(p).put("arch", "a".repeat(16)));
        for (String map : List.of("subcommand_counts", "tracer_selections")) {
            m.put(map + " with an unknown name", p -> sub(p, map).put("telemetry", 1L));
            m.put(map + " with a name of the other map", p -> sub(p, map).put(map.equals("tracer_selections") ? "run" : "ptrace", 1L));
            m.put(map + " with a name in upper case", p -> sub(p, map).put(map.equals("tracer_selections") ? "PTRACE" : "RUN", 1L));
            for (Object value : List.of(0L, -1L, 1.5, "1", true, List.of(1L), new TreeMap<>())) {
                m.put(map + " with a count " + describe(value), p -> sub(p, map).put(map.equals("tracer_selections") ? "ebpf" : "init", value));
            }
            m.put(map + " with a null count", p -> sub(p, map).put("auto", nullValue.get()));
            m.put(map + " with a count beyond 64 bits", p -> sub(p, map).put(map.equals("tracer_selections") ? "ebpf" : "init",
                    new java.math.BigInteger("9223372036854775808")));
            m.put(map + " empty", p -> sub(p, map).clear());
            m.put(map + " with every name", p -> (map.equals("tracer_selections") ? Allowlist.TRACERS : Allowlist.SUBCOMMANDS)
                    .forEach(n -> sub(p, map).put(n, 7L)));
        }
        m.put("capabilities with an unknown flag", p -> sub(p, "feature_capabilities").put("gpu_available", true));
        m.put("capabilities endpoint kind prod", p -> sub(p, "feature_capabilities").put("glaas_endpoint_kind", "prod"));
        m.put("capabilities endpoint kind as a boolean", p -> sub(p, "feature_capabilities").put("glaas_endpoint_kind", true));
        for (String flag : Allowlist.BOOLEAN_CAPABILITIES) {
            m.put(flag + " as a string", p -> sub(p, "feature_capabilities").put(flag, "true"));
            m.put(flag + " as 1", p -> sub(p, "feature_capabilities").put(flag, 1L));
            m.put(flag + " null", p -> sub(p, "feature_capabilities").put(flag, nullValue.get()));
        }
        m.put("capabilities empty", p -> sub(p, "feature_capabilities").clear());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> p, String key) {
        return (Map<String, Object>) p.get(key);
    }

    private static Map<String, Object> platform(Map<String, Object> p) {
        return sub(p, "platform");
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + Json.writeString(value);
    }
}
