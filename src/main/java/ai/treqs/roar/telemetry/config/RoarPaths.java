package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/** docs/telemetry.md#where-state-lives: every file telemetry reads or writes, resolved from the environment (XDG-aware). */
public record RoarPaths(Path configHome, Path cacheHome, Optional<Path> systemConfig) {

    public static RoarPaths resolve(Environment env) {
        Path home = Path.of(env.get("HOME").filter(h -> !h.isEmpty()).orElse(System.getProperty("user.home")));
        Path configHome = absolute(env.get("XDG_CONFIG_HOME").orElse(null)).orElse(home.resolve(".config"));
        Path cacheHome = absolute(env.get("XDG_CACHE_HOME").orElse(null)).orElse(home.resolve(".cache"));
        return new RoarPaths(configHome, cacheHome, systemConfig(env));
    }

    /** {@code roar/global.toml} in the first absolute entry of XDG_CONFIG_DIRS that has one. */
    private static Optional<Path> systemConfig(Environment env) {
        String dirs = env.get("XDG_CONFIG_DIRS").filter(v -> !v.isEmpty()).orElse("/etc/xdg");
        for (String entry : dirs.split(":")) {
            Optional<Path> dir = absolute(entry);
            if (dir.isPresent()) {
                Path candidate = dir.get().resolve("roar").resolve("global.toml");
                // only "does not exist" moves on: a dangling link or an entry that cannot be entered is this
                // entry's file, and it fails closed (system_config_invalid) instead of being skipped (docs/administrators-and-packagers.md)
                if (!(PathCheck.check(candidate) instanceof PathCheck.Missing)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> absolute(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? Optional.of(p) : Optional.empty();
    }

    public Path roarConfigDir() { return configHome.resolve("roar"); }
    public Path globalConfig() { return roarConfigDir().resolve("global.toml"); }
    public Path disclosureSentinel() { return roarConfigDir().resolve(".telemetry-disclosed"); }
    public Path telemetryDir() { return cacheHome.resolve("roar").resolve("telemetry"); }
    public Path stats() { return telemetryDir().resolve("stats.json"); }
    public Path statsLock() { return telemetryDir().resolve("stats.lock"); }
    public Path queueDir() { return telemetryDir().resolve("queue"); }
    public Path uploaderLock() { return telemetryDir().resolve(".lock"); }
    public Path lastAttempt() { return telemetryDir().resolve("last-attempt"); }
    public Path ledger() { return telemetryDir().resolve("sent.jsonl"); }
}
