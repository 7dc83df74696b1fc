package ai.treqs.roar.telemetry.payload;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import ai.treqs.roar.telemetry.config.EffectiveConfig;

/** Feature capabilities (docs/telemetry.md#what-is-collected) from the configuration and the machine facts {@code env} found. Pure. */
public final class Capabilities {
    private Capabilities() {}

    public static Map<String, Object> of(EffectiveConfig config, String buildDefaultEndpoint, Platform platform,
                                         boolean blake3OnClassPath, boolean kernelBtf) {
        Map<String, Object> flags = new TreeMap<>();
        flags.put("glaas_endpoint_kind", endpointKind(config.endpoint(), buildDefaultEndpoint));
        flags.put("blake3_available", blake3OnClassPath);
        flags.put("ebpf_supported", platform.os().equals("linux") && kernelBtf);
        flags.put("proxy_enabled", config.integrations().proxy());
        flags.put("ray_enabled", config.integrations().ray());
        flags.put("osmo_enabled", config.integrations().osmo());
        return flags;
    }

    public static String endpointKind(String endpoint, String buildDefaultEndpoint) {
        if (endpoint.isEmpty()) {
            return "unset";
        }
        if (endpoint.equals(buildDefaultEndpoint)) {
            return "default_prod";
        }
        String host;
        try {
            host = URI.create(endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return "custom";
        }
        if (host == null) {
            return "custom";
        }
        host = host.toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        return loopback || host.contains("dev") ? "default_dev" : "custom";
    }
}
