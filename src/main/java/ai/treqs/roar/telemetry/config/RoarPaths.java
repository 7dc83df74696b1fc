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
public record RoarPaths(Path configHome, Path cacheHome, Optional<Path> systemConfig, Optional<String> homeless, Unnamed unnamed) {
    /**
     * Directories the environment names with bytes Java cannot hold as text (docs/security.md#undecodable-base-directories):
     * an absolute XDG_CONFIG_HOME, XDG_CACHE_HOME or XDG_CONFIG_DIRS entry that is not valid in the locale's encoding.
     * The user named a directory roar cannot reach, so it never stands in another for it: {@code config} is the
     * global file, invalid (global_config_invalid), {@code system} the system file, invalid (system_config_invalid),
     * {@code cache} why nothing is recorded; the home each replaces is under {@link #NO_HOME}, never used.
     */
    public record Unnamed(Optional<ConfigFile.Invalid> config, Optional<String> cache, Optional<ConfigFile.Invalid> system) {
        public static final Unnamed NONE = new Unnamed(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** What the homes are under when there is none: never read or written ({@code no_home} keeps telemetry off). */
    public static final Path NO_HOME = Path.of("/nonexistent/roar-has-no-home");
    /** Where the system file is looked for when XDG_CONFIG_DIRS is unset or empty. */
    static final String DEFAULT_CONFIG_DIRS = "/etc/xdg";
    /** The system file named when there is none: {@code roar/global.toml} under {@link #DEFAULT_CONFIG_DIRS}. */
    public static final Path DEFAULT_SYSTEM_CONFIG = Path.of(DEFAULT_CONFIG_DIRS, "roar", "global.toml");

    public RoarPaths(Path configHome, Path cacheHome, Optional<Path> systemConfig) {
        this(configHome, cacheHome, systemConfig, Optional.empty(), Unnamed.NONE);
    }

    /** No absolute CONFIG_HOME or CACHE_HOME: there are no user files at all; {@link #homeless} says why in words. */
    public boolean noHome() {
        return homeless.isPresent();
    }

    public static RoarPaths resolve(Environment env) {
        // an empty or unset HOME stands for the account's home; a relative one, or one whose bytes Java cannot
        // hold as text (it would name another directory), is not a home at all
        BaseDirectory home = BaseDirectory.of(env, "HOME");
        if (home.dir().isEmpty() && env.get("HOME").filter(h -> !h.isEmpty()).isEmpty()) {
            home = BaseDirectory.accountHome(System.getProperty("user.home")).orElse(home);
        }
        BaseDirectory config = BaseDirectory.of(env, "XDG_CONFIG_HOME");
        BaseDirectory cache = BaseDirectory.of(env, "XDG_CACHE_HOME");
        Optional<Path> homeDir = home.dir();
        // a directory the user named but roar cannot reach is never replaced by HOME's: its opt-out would be lost
        Optional<Path> configHome = config.unnamed() ? Optional.of(NO_HOME.resolve(".config"))
                : config.dir().or(() -> homeDir.map(h -> h.resolve(".config")));
        Optional<Path> cacheHome = cache.unnamed() ? Optional.of(NO_HOME.resolve(".cache"))
                : cache.dir().or(() -> homeDir.map(h -> h.resolve(".cache")));
        SystemFile system = systemConfig(env, new ArrayList<>());
        Unnamed unnamed = new Unnamed(
                config.unnamed() ? Optional.of(unnamedFile(env, "XDG_CONFIG_HOME", config.why())) : Optional.empty(),
                cache.unnamed() ? Optional.of(cache.why() + ": roar cannot name the directory it names") : Optional.empty(),
                system.unnamed());
        if (configHome.isEmpty() || cacheHome.isEmpty()) {
            List<String> why = new ArrayList<>(List.of(home.why()));
            if (configHome.isEmpty()) {
                why.add(config.why());
            }
            if (cacheHome.isEmpty()) {
                why.add(cache.why());
            }
            return new RoarPaths(NO_HOME.resolve(".config"), NO_HOME.resolve(".cache"), system.trusted(),
                    Optional.of(String.join(", ", why)), unnamed);
        }
        return new RoarPaths(configHome.get(), cacheHome.get(), system.trusted(), Optional.empty(), unnamed);
    }

    /** The global file under a variable's directory as its text names it: shown, never opened. */
    private static ConfigFile.Invalid unnamedFile(Environment env, String name, String why) {
        Path shown = BaseDirectory.shown(env.get(name).orElse("")).resolve("roar").resolve("global.toml");
        return new ConfigFile.Invalid(shown, why + ": roar cannot name the directory it names, so it cannot read " + shown.getFileName());
    }

    /** What the XDG_CONFIG_DIRS search found: the trusted file, or an entry before any that roar cannot name. */
    private record SystemFile(Optional<Path> trusted, Optional<ConfigFile.Invalid> unnamed) {}

    /**
     * {@code roar/global.toml} in the first absolute entry of XDG_CONFIG_DIRS that has one that only root or the
     * user could have written ({@link SystemFileTrust}).
     */
    /** The files in XDG_CONFIG_DIRS passed over on the way to the system file because another user could have written them. */
    public static List<SystemFileTrust.Untrusted> ignoredSystemConfigs(Environment env) {
        List<SystemFileTrust.Untrusted> ignored = new ArrayList<>();
        systemConfig(env, ignored);
        return List.copyOf(ignored);
    }

    private static SystemFile systemConfig(Environment env, List<SystemFileTrust.Untrusted> ignored) {
        String dirs = env.get("XDG_CONFIG_DIRS").filter(v -> !v.isEmpty()).orElse(DEFAULT_CONFIG_DIRS);
        boolean exact = env.isExactText("XDG_CONFIG_DIRS");
        for (String entry : dirs.split(":")) {
            Optional<Path> dir = BaseDirectory.absolute(entry);
            // an entry a decoder could not read (or Java cannot make a path of) may hold the administrator's
            // opt-out: it fails closed, never skipped
            if (entry.startsWith("/") && (dir.isEmpty() || !exact && entry.indexOf('\uFFFD') >= 0)) {
                Path shown = BaseDirectory.shown(entry).resolve("roar").resolve("global.toml");
                return new SystemFile(Optional.empty(), Optional.of(new ConfigFile.Invalid(shown, BaseDirectory.notText(env, "XDG_CONFIG_DIRS")
                        + " in the entry " + entry + ": roar cannot name that directory, so it cannot read its " + shown.getFileName())));
            }
            if (dir.isPresent()) {
                Path candidate = dir.get().resolve("roar").resolve("global.toml");
                // only "does not exist" moves on: a dangling link or an entry that cannot be entered is this
                // entry's file, and it fails closed (system_config_invalid) instead of being skipped (docs/administrators-and-packagers.md)
                if (!(PathCheck.check(candidate) instanceof PathCheck.Missing)) {
                    SystemFileTrust.Verdict verdict = SystemFileTrust.judge(candidate);
                    if (verdict instanceof SystemFileTrust.Trusted trusted) {
                        return new SystemFile(Optional.of(trusted.path()), Optional.empty());
                    }
                    ignored.add((SystemFileTrust.Untrusted) verdict); // another user's: the next entry is looked at
                }
            }
        }
        return new SystemFile(Optional.empty(), Optional.empty());
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
