package ai.treqs.roar.telemetry.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.treqs.roar.telemetry.config.EffectiveConfig;

/** docs/telemetry.md#what-is-collected: glaas_endpoint_kind says what kind of endpoint, never which. */
class CapabilitiesTest {
    static final String DEFAULT = "https://api.glaas.ai/api/v1/telemetry/roar";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', unset",
        "https://api.glaas.ai/api/v1/telemetry/roar, default_prod",
        "http://localhost:8080/t, default_dev",
        "http://127.0.0.1:9/t, default_dev",
        "http://[::1]:9/t, default_dev",
        "https://api.dev.glaas.ai/t, default_dev",
        "https://collector.corp.example/t, custom",
        "https://api.glaas.ai/api/v1/telemetry/other, custom",
    })
    void endpointKind(String endpoint, String kind) {
        assertEquals(kind, Capabilities.endpointKind(endpoint, DEFAULT));
    }

    /** A pure function of the machine facts env found: eBPF needs Linux and the kernel's BTF. */
    @ParameterizedTest(name = "{0}, btf {1}, blake3 {2} -> ebpf {3}")
    @CsvSource({
        "Linux, true, false, true",
        "Linux, false, true, false",
        "Mac OS X, true, true, false",
        "Windows 11, true, false, false",
    })
    void machineFactsAreTakenAsGiven(String osName, boolean btf, boolean blake3, boolean ebpf) {
        EffectiveConfig config = new EffectiveConfig(true, true, DEFAULT, EffectiveConfig.EndpointSource.DEFAULT,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Path.of("/g.toml"),
                Optional.empty(), new EffectiveConfig.Integrations(true, false, true));
        Map<String, Object> flags = Capabilities.of(config, DEFAULT, Platform.of(osName, "amd64"), blake3, btf);

        assertEquals(Map.of("glaas_endpoint_kind", "default_prod", "blake3_available", blake3, "ebpf_supported", ebpf,
                "proxy_enabled", true, "ray_enabled", false, "osmo_enabled", true), flags);
    }
}
