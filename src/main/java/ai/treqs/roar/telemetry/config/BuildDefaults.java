package ai.treqs.roar.telemetry.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was baked into this build at package time: the version and the packager's telemetry defaults.
 * Read from a filtered class-path resource, never from the environment or system properties, so a
 * packager's "off" cannot be undone by a run-time setting.
 */
public record BuildDefaults(String version, boolean enabled, String endpoint) {
    public static final String RESOURCE = "roar/build.properties";

    public static BuildDefaults load() {
        Properties props = new Properties();
        try (InputStream in = BuildDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildDefaults(props.getProperty("version", "unknown").trim(),
                enabledDefault(props.getProperty("default-enabled", "")),
                props.getProperty("default-endpoint", "").trim());
    }

    /**
     * Only {@code true} means on: a packager who meant "off" and wrote {@code no}, {@code 0} or a typo gets
     * off (fail closed), and so does a build whose resource was not filtered at all.
     */
    static boolean enabledDefault(String baked) {
        return baked.trim().equalsIgnoreCase("true");
    }
}
