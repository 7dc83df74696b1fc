package ai.treqs.roar.telemetry.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Contract §5: glaas_endpoint_kind says what kind of endpoint, never which. */
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
}
