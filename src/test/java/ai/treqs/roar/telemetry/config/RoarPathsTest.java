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
}
