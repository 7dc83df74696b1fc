package ai.treqs.roar.telemetry.payload;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import ai.treqs.roar.telemetry.config.EffectiveConfig;

/** Feature capabilities (contract §5), each found cheaply: no process spawned, no network. */
public final class Capabilities {
    private static final String[] BLAKE3_CLASSES = {
        "org/bouncycastle/crypto/digests/Blake3Digest.class",
        "io/lktk/NativeBLAKE3.class",
        "com/github/blake3/Blake3.class",
        "org/apache/commons/codec/digest/Blake3.class",
    };

    private Capabilities() {}

    public static Map<String, Object> detect(EffectiveConfig config, String buildDefaultEndpoint, Platform platform) {
        Map<String, Object> flags = new TreeMap<>();
        flags.put("glaas_endpoint_kind", endpointKind(config.endpoint(), buildDefaultEndpoint));
        flags.put("blake3_available", blake3OnClassPath());
        flags.put("ebpf_supported", platform.os().equals("linux") && Files.exists(Path.of("/sys/kernel/btf/vmlinux")));
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

    /** Looks for the class file as a resource: nothing is loaded or initialised. */
    private static boolean blake3OnClassPath() {
        ClassLoader loader = Capabilities.class.getClassLoader();
        for (String name : BLAKE3_CLASSES) {
            if (loader.getResource(name) != null) {
                return true;
            }
        }
        return false;
    }
}
