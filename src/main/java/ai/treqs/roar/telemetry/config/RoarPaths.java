package ai.treqs.roar.telemetry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.treqs.roar.telemetry.env.Environment;

/**
 * docs/telemetry.md#where-state-lives: every file telemetry reads or writes, resolved from the environment (XDG-aware). A relative
 * {@code HOME} or XDG value is ignored; when that leaves no absolute CONFIG_HOME or CACHE_HOME, {@code noHome}
 * is set: there are no user files at all (telemetry is off, {@code no_home}), and the two homes name a place
 * that is never used (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory).
 */
public record RoarPaths(Path configHome, Path cacheHome, Optional<Path> systemConfig, boolean noHome) {
    /** What the homes are under when there is none: never read or written ({@code no_home} keeps telemetry off). */
    public static final Path NO_HOME = Path.of("/nonexistent/roar-has-no-home");

    public RoarPaths(Path configHome, Path cacheHome, Optional<Path> systemConfig) {
        this(configHome, cacheHome, systemConfig, false);
    }

    public static RoarPaths resolve(Environment env) {
        // an empty HOME is not set (the account's home stands in); a relative one is not a home at all
        Optional<Path> home = env.get("HOME").filter(h -> !h.isEmpty()).map(Optional::of)
                .orElseGet(() -> Optional.ofNullable(System.getProperty("user.home")))
                .flatMap(RoarPaths::absolute);
        Optional<Path> configHome = absolute(env.get("XDG_CONFIG_HOME").orElse(null)).or(() -> home.map(h -> h.resolve(".config")));
        Optional<Path> cacheHome = absolute(env.get("XDG_CACHE_HOME").orElse(null)).or(() -> home.map(h -> h.resolve(".cache")));
        if (configHome.isEmpty() || cacheHome.isEmpty()) {
            return new RoarPaths(NO_HOME.resolve(".config"), NO_HOME.resolve(".cache"), systemConfig(env), true);
        }
        return new RoarPaths(configHome.get(), cacheHome.get(), systemConfig(env), false);
    }

    /**
     * {@code roar/global.toml} in the first absolute entry of XDG_CONFIG_DIRS that has one that only root or the
     * user could have written ({@link SystemFileTrust}).
     */
    private static Optional<Path> systemConfig(Environment env) {
        return systemConfig(env, new ArrayList<>());
    }

    /** The files in XDG_CONFIG_DIRS passed over on the way to the system file because another user could have written them. */
    public static List<SystemFileTrust.Untrusted> ignoredSystemConfigs(Environment env) {
        List<SystemFileTrust.Untrusted> ignored = new ArrayList<>();
        systemConfig(env, ignored);
        return List.copyOf(ignored);
    }

    private static Optional<Path> systemConfig(Environment env, List<SystemFileTrust.Untrusted> ignored) {
        String dirs = env.get("XDG_CONFIG_DIRS").filter(v -> !v.isEmpty()).orElse("/etc/xdg");
        for (String entry : dirs.split(":")) {
            Optional<Path> dir = absolute(entry);
            if (dir.isPresent()) {
                Path candidate = dir.get().resolve("roar").resolve("global.toml");
                // only "does not exist" moves on: a dangling link or an entry that cannot be entered is this
                // entry's file, and it fails closed (system_config_invalid) instead of being skipped (docs/administrators-and-packagers.md)
                if (!(PathCheck.check(candidate) instanceof PathCheck.Missing)) {
                    SystemFileTrust.Verdict verdict = SystemFileTrust.judge(candidate);
                    if (verdict instanceof SystemFileTrust.Trusted trusted) {
                        return Optional.of(trusted.path());
                    }
                    ignored.add((SystemFileTrust.Untrusted) verdict); // another user's: the next entry is looked at
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
