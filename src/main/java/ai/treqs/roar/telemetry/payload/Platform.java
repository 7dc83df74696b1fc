package ai.treqs.roar.telemetry.payload;

import java.util.Locale;
import java.util.Map;

/** OS class and architecture, nothing more (docs/telemetry.md#what-is-collected). */
public record Platform(String os, String arch) {

    /** Normalises the JVM's names: amd64 is x86_64, aarch64 is arm64; an unknown OS is "other". */
    public static Platform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux"
                : name.startsWith("mac") || name.startsWith("darwin") ? "macos"
                : name.startsWith("windows") ? "windows"
                : "other";
        String arch = osArch.toLowerCase(Locale.ROOT);
        arch = switch (arch) {
            case "amd64", "x86-64", "x64" -> "x86_64";
            case "aarch64" -> "arm64";
            default -> arch.replaceAll("[^a-z0-9_]", "");
        };
        if (arch.isEmpty() || arch.length() > 16) {
            arch = "unknown";
        }
        return new Platform(os, arch);
    }

    public Map<String, Object> asJsonObject() {
        return Map.of("os", os, "arch", arch);
    }
}
