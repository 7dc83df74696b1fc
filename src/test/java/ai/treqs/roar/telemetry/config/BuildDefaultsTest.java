package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildDefaultsTest {

    @Test
    void theStandardBuildIsOnWithTheProductionEndpointAndAFilteredVersion() {
        BuildDefaults build = BuildDefaults.load();
        assertTrue(build.enabled());
        assertEquals("https://api.glaas.ai/api/v1/telemetry/roar", build.endpoint());
        assertFalse(build.version().contains("${"), build.version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", " true "})
    void onlyTrueMeansOn(String baked) {
        assertTrue(BuildDefaults.enabledDefault(baked));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "no", "0", "off", "ture", "", "${roar.telemetry.default-enabled}"})
    void anythingElseAPackagerBakesInMeansOff(String baked) {
        assertFalse(BuildDefaults.enabledDefault(baked));
    }
}
