package ai.treqs.roar.collector;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The dashboard's tests run with the default k (5), so that the small-group rule shows. */
public class DashboardProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roar.collector.min-installs", "5");
    }
}
