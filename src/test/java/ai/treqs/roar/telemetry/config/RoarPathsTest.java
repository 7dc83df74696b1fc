package ai.treqs.roar.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.treqs.roar.telemetry.env.Environment;

/** docs/telemetry.md#where-state-lives: XDG base directories, a relative value ignored. */
class RoarPathsTest {

    @Test
    void absoluteXdgDirectoriesAreUsed() {
        RoarPaths p = RoarPaths.resolve(Environment.of(Map.of("HOME", "/home/alice",
                "XDG_CONFIG_HOME", "/xdg/config", "XDG_CACHE_HOME", "/xdg/cache", "XDG_CONFIG_DIRS", "/nonexistent")));
        assertEquals(Path.of("/xdg/config/roar/global.toml"), p.globalConfig());
        assertEquals(Path.of("/xdg/config/roar/.telemetry-disclosed"), p.disclosureSentinel());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/stats.json"), p.stats());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/stats.lock"), p.statsLock());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/queue"), p.queueDir());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/.lock"), p.uploaderLock());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/last-attempt"), p.lastAttempt());
        assertEquals(Path.of("/xdg/cache/roar/telemetry/sent.jsonl"), p.ledger());
        assertEquals(Optional.empty(), p.systemConfig());
    }

    @Test
    void relativeOrEmptyXdgValuesFallBackToHome() {
        RoarPaths p = RoarPaths.resolve(Environment.of(Map.of("HOME", "/home/alice",
                "XDG_CONFIG_HOME", "relative/config", "XDG_CACHE_HOME", "", "XDG_CONFIG_DIRS", "/nonexistent")));
        assertEquals(Path.of("/home/alice/.config/roar/global.toml"), p.globalConfig());
        assertEquals(Path.of("/home/alice/.cache/roar/telemetry/stats.json"), p.stats());
    }

    @Test
    void aRelativeHomeIsNoHomeUnlessBothXdgHomesAreAbsolute() {
        RoarPaths none = RoarPaths.resolve(Environment.of(Map.of("HOME", ".", "XDG_CONFIG_DIRS", "/nonexistent")));
        assertTrue(none.noHome());
        assertTrue(none.globalConfig().startsWith(RoarPaths.NO_HOME), none.globalConfig().toString());
        assertTrue(RoarPaths.resolve(Environment.of(Map.of("HOME", "home", "XDG_CONFIG_HOME", "/xdg/config",
                "XDG_CONFIG_DIRS", "/nonexistent"))).noHome(), "a cache home is missing");
        RoarPaths xdg = RoarPaths.resolve(Environment.of(Map.of("HOME", ".", "XDG_CONFIG_HOME", "/xdg/config",
                "XDG_CACHE_HOME", "/xdg/cache", "XDG_CONFIG_DIRS", "/nonexistent")));
        assertFalse(xdg.noHome());
        assertEquals(Path.of("/xdg/config/roar/global.toml"), xdg.globalConfig());
        assertFalse(RoarPaths.resolve(Environment.of(Map.of("HOME", "/home/alice", "XDG_CONFIG_DIRS", "/nonexistent"))).noHome());
    }

    /** Text of a variable whose bytes Java could not decode (docs/security.md#undecodable-base-directories). */
    private static Environment undecodable(Map<String, String> values, String name) {
        Environment text = Environment.of(values);
        return new Environment() {
            @Override public Optional<String> get(String n) { return text.get(n); }
            @Override public Map<String, String> all() { return text.all(); }
            @Override public boolean isExactText(String n) { return !n.equals(name); }
        };
    }

    @Test
    void anXdgHomeRoarCannotNameIsNeverReplacedByHomes() {
        RoarPaths config = RoarPaths.resolve(undecodable(Map.of("HOME", "/home/alice", "XDG_CONFIG_HOME", "/xdg/conf\uFFFD",
                "XDG_CONFIG_DIRS", "/nonexistent"), "XDG_CONFIG_HOME"));
        assertFalse(config.noHome());
        assertTrue(config.globalConfig().startsWith(RoarPaths.NO_HOME), config.globalConfig().toString());
        assertEquals(Path.of("/xdg/conf\uFFFD/roar/global.toml"), config.unnamed().config().orElseThrow().path());
        assertEquals(Path.of("/home/alice/.cache/roar/telemetry/stats.json"), config.stats());

        RoarPaths cache = RoarPaths.resolve(undecodable(Map.of("HOME", "/home/alice", "XDG_CACHE_HOME", "/xdg/cache\uFFFD",
                "XDG_CONFIG_DIRS", "/nonexistent"), "XDG_CACHE_HOME"));
        assertTrue(cache.stats().startsWith(RoarPaths.NO_HOME), cache.stats().toString());
        assertTrue(cache.unnamed().cache().orElseThrow().startsWith("XDG_CACHE_HOME is not valid UTF-8"));
        assertEquals(Path.of("/home/alice/.config/roar/global.toml"), cache.globalConfig());

        // a relative value stays ignored, whatever its bytes
        RoarPaths relative = RoarPaths.resolve(undecodable(Map.of("HOME", "/home/alice", "XDG_CONFIG_HOME", "conf\uFFFD",
                "XDG_CONFIG_DIRS", "/nonexistent"), "XDG_CONFIG_HOME"));
        assertEquals(RoarPaths.Unnamed.NONE, relative.unnamed());
    }

    @Test
    void anXdgConfigDirsEntryRoarCannotNameBeforeTheSystemFileFailsClosed() {
        RoarPaths p = RoarPaths.resolve(undecodable(Map.of("HOME", "/home/alice",
                "XDG_CONFIG_DIRS", "/nonexistent:/sys\uFFFD:/etc/xdg"), "XDG_CONFIG_DIRS"));
        assertEquals(Path.of("/sys\uFFFD/roar/global.toml"), p.unnamed().system().orElseThrow().path());
        assertEquals(Optional.empty(), p.systemConfig());
    }
}
