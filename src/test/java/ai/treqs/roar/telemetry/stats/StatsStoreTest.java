package ai.treqs.roar.telemetry.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ai.treqs.roar.telemetry.MutableClock;
import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;

/** docs/telemetry.md#where-state-lives: stats.json, one locked read-modify-write at a time; corrupt restarts, newer is left alone. */
class StatsStoreTest {
    static final String OLD_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir Path root;

    private RoarPaths paths;
    private MutableClock clock;
    private StatsStore store;

    @BeforeEach
    void setUp() {
        paths = new RoarPaths(root.resolve("config"), root.resolve("cache"), Optional.empty());
        clock = MutableClock.at("2026-11-20T10:00:00Z");
        store = new StatsStore(clock, Duration.ofMillis(100));
    }

    private Map<String, Object> onDisk() throws IOException {
        return Json.parseObject(Files.readAllBytes(paths.stats()));
    }

    private void write(String content) throws IOException {
        write(content.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] content) throws IOException {
        SecureFiles.ensureDirectory(paths.telemetryDir());
        Files.write(paths.stats(), content);
    }

    private static String validStats(String extra) {
        return """
                {"stats_schema_version":1,"install_id":"%s","first_seen":"2026-01-01T00:00:00Z",
                 "updated_at":"2026-01-02T00:00:00Z","sequence":7,%s
                 "version_milestones":{"0.2.0":{"first_seen":"2026-01-01T00:00:00Z"}},
                 "subcommand_counts":{"run":2},"tracer_selections":{},"feature_capabilities":{}}
                """.formatted(OLD_ID, extra);
    }

    private StatsStore.Update<String> recordInit() throws IOException {
        return store.update(paths, (stats, created) -> {
            stats.incrementSubcommand("init");
            return stats.installId();
        });
    }

    private List<Path> corruptCopies() throws IOException {
        try (Stream<Path> files = Files.list(paths.telemetryDir())) {
            return files.filter(p -> p.getFileName().toString().startsWith("stats.json.corrupt-")).sorted().toList();
        }
    }

    @Test
    void theFirstRecordingCreatesAFreshInstall() throws IOException {
        StatsStore.Update.Applied<String> applied = assertInstanceOf(StatsStore.Update.Applied.class, recordInit());
        assertTrue(applied.created());

        Map<String, Object> stats = onDisk();
        assertEquals(applied.result(), stats.get("install_id"));
        assertEquals(4, UUID.fromString((String) stats.get("install_id")).version(), "a random UUID v4");
        assertEquals(1L, stats.get("stats_schema_version"));
        assertEquals("2026-11-20T10:00:00Z", stats.get("first_seen"));
        assertEquals("2026-11-20T10:00:00Z", stats.get("updated_at"));
        assertEquals(0L, stats.get("sequence"));
        assertEquals(Map.of(), stats.get("version_milestones"));
        assertEquals(Map.of("init", 1L), stats.get("subcommand_counts"));
        assertEquals(Map.of(), stats.get("tracer_selections"));
        assertEquals(Map.of(), stats.get("feature_capabilities"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.stats())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.telemetryDir())));
    }

    @Test
    void laterRecordingsKeepTheIdentityAndMoveUpdatedAt() throws IOException {
        String id = ((StatsStore.Update.Applied<String>) recordInit()).result();
        clock.advance(Duration.ofMinutes(5));
        AtomicBoolean sawCreated = new AtomicBoolean(true);
        StatsStore.Update<String> second = store.update(paths, (stats, created) -> {
            sawCreated.set(created);
            stats.incrementSubcommand("init");
            return stats.installId();
        });
        assertEquals(new StatsStore.Update.Applied<>(id, false), second);
        assertFalse(sawCreated.get());
        Map<String, Object> stats = onDisk();
        assertEquals("2026-11-20T10:00:00Z", stats.get("first_seen"));
        assertEquals("2026-11-20T10:05:00Z", stats.get("updated_at"));
        assertEquals(Map.of("init", 2L), stats.get("subcommand_counts"));
    }

    @Test
    void fieldsThisBuildDoesNotKnowAreKeptAsTheyWere() throws IOException {
        write(validStats("\"future_field\":{\"nested\":[1,\"two\",{\"three\":null}]},\"another\":\"x\","));
        recordInit();
        Map<String, Object> stats = onDisk();
        assertEquals(OLD_ID, stats.get("install_id"));
        assertEquals(Json.parseObject("{\"nested\":[1,\"two\",{\"three\":null}]}".getBytes(StandardCharsets.UTF_8)),
                stats.get("future_field"));
        assertEquals("x", stats.get("another"));
        assertEquals(Map.of("0.2.0", Map.of("first_seen", "2026-01-01T00:00:00Z")), stats.get("version_milestones"));
        assertEquals(Map.of("run", 2L, "init", 1L), stats.get("subcommand_counts"));
        assertEquals(7L, stats.get("sequence"));
    }

    static Stream<Arguments> corruptFiles() {
        return Stream.of(
                Arguments.of("bad JSON", "{\"stats_schema_version\":1,".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("an empty file", new byte[0]),
                Arguments.of("bad UTF-8", badUtf8()),
                Arguments.of("a JSON array", "[]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("sequence \"x\"", validStats("").replace("\"sequence\":7", "\"sequence\":\"x\"")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a negative sequence", validStats("").replace("\"sequence\":7", "\"sequence\":-1")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("install_id missing", validStats("").replace("\"install_id\"", "\"installation\"")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a counter as a string", validStats("").replace("{\"run\":2}", "{\"run\":\"2\"}")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a negative counter", validStats("").replace("{\"run\":2}", "{\"run\":-2}")
                        .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("schema version as a string", validStats("").replace("\"stats_schema_version\":1",
                        "\"stats_schema_version\":\"1\"").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("schema version 0", validStats("").replace("\"stats_schema_version\":1",
                        "\"stats_schema_version\":0").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate keys", validStats("\"sequence\":8,").getBytes(StandardCharsets.UTF_8)));
    }

    /** A valid file but for one string holding a broken two-byte sequence. */
    static byte[] badUtf8() {
        byte[] content = validStats("\"x\":\"??\",").getBytes(StandardCharsets.UTF_8);
        int at = new String(content, StandardCharsets.ISO_8859_1).indexOf("??");
        content[at] = (byte) 0xC3;
        content[at + 1] = (byte) 0x28;
        return content;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptFiles")
    void aCorruptFileIsMovedAsideAndANewInstallBegins(String what, byte[] content) throws IOException {
        write(content);

        StatsStore.Update.Applied<String> applied = assertInstanceOf(StatsStore.Update.Applied.class, recordInit(), what);

        assertTrue(applied.created(), "a new install began");
        assertNotEquals(OLD_ID, applied.result(), "the old identity cannot be trusted");
        assertEquals(applied.result(), onDisk().get("install_id"));
        Path aside = paths.telemetryDir().resolve("stats.json.corrupt-20261120T100000Z");
        assertEquals(List.of(aside), corruptCopies());
        assertArrayEquals(content, Files.readAllBytes(aside), "the bad content is kept for a human to look at");
    }

    @Test
    void aSymlinkInPlaceOfStatsIsNotOursAndIsNeitherReadNorMovedNorWrittenThrough() throws IOException {
        Path target = root.resolve("precious.json");
        Files.writeString(target, validStats(""));
        SecureFiles.ensureDirectory(paths.telemetryDir());
        Files.createSymbolicLink(paths.stats(), target);

        // docs/security.md#state-files-locks-and-the-queue: that run's telemetry is skipped (the Telemetry boundary swallows this), nothing moves
        assertThrows(ai.treqs.roar.telemetry.io.StateFiles.NotOursException.class, this::recordInit);
        assertEquals(Optional.empty(), store.read(paths));

        assertTrue(Files.isSymbolicLink(paths.stats()));
        assertEquals(validStats(""), Files.readString(target));
        assertEquals(0, corruptCopies().size());
    }

    @Test
    void atMostThreeCorruptCopiesAreKeptTheNewest() throws IOException {
        for (int i = 0; i < 5; i++) {
            write("not json " + i);
            recordInit();
            clock.advance(Duration.ofSeconds(1));
        }
        List<Path> copies = corruptCopies();
        assertEquals(List.of("stats.json.corrupt-20261120T100002Z", "stats.json.corrupt-20261120T100003Z",
                "stats.json.corrupt-20261120T100004Z"), copies.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("not json 4", Files.readString(copies.get(2)));
    }

    @Test
    void aNewerSchemaIsLeftUntouchedAndNothingIsRecorded() throws IOException {
        byte[] newer = ("{\"stats_schema_version\":2,\"install_id\":\"" + OLD_ID + "\",\"whatever\":[1,2]}  \n")
                .getBytes(StandardCharsets.UTF_8);
        write(newer);
        FileTime before = Files.getLastModifiedTime(paths.stats());
        AtomicBoolean changed = new AtomicBoolean();

        StatsStore.Update<Object> result = store.update(paths, (stats, created) -> {
            changed.set(true);
            return null;
        });

        assertEquals(new StatsStore.Update.NewerSchema<>(2), result);
        assertFalse(changed.get());
        assertArrayEquals(newer, Files.readAllBytes(paths.stats()));
        assertEquals(before, Files.getLastModifiedTime(paths.stats()));
        assertEquals(List.of(), corruptCopies());
        assertEquals(Optional.empty(), store.read(paths));
    }

    @Test
    void aBusyLockSkipsTheRecordingAfterTheWait() throws Exception {
        SecureFiles.ensureDirectory(paths.telemetryDir());
        AtomicBoolean changed = new AtomicBoolean();
        // same JVM: the second tryLock raises OverlappingFileLockException, which counts as busy
        try (FileLocks.Held held = FileLocks.acquire(paths.statsLock(), Duration.ZERO).orElseThrow()) {
            StatsStore.Update<Object> result = store.update(paths, (stats, created) -> {
                changed.set(true);
                return null;
            });
            assertEquals(new StatsStore.Update.LockBusy<>(), result);
        }
        assertFalse(changed.get());
        assertFalse(Files.exists(paths.stats()));

        assertInstanceOf(StatsStore.Update.Applied.class, recordInit(), "the lock is free again");
    }

    @Test
    void theStatsLockIsNotTheUploadersLock() throws Exception {
        SecureFiles.ensureDirectory(paths.telemetryDir());
        try (FileLocks.Held uploader = FileLocks.acquire(paths.uploaderLock(), Duration.ZERO).orElseThrow()) {
            assertInstanceOf(StatsStore.Update.Applied.class, recordInit());
        }
    }

    @Test
    void readingChangesNothing() throws IOException {
        assertEquals(Optional.empty(), store.read(paths));
        assertFalse(Files.exists(paths.telemetryDir()));
        write(validStats(""));
        assertEquals(OLD_ID, store.read(paths).orElseThrow().installId());
        assertEquals(validStats(""), Files.readString(paths.stats()));
    }

    @Test
    void staleTempFilesFromAKilledWriterAreRemoved() throws IOException {
        SecureFiles.ensureDirectory(paths.telemetryDir());
        Path stale = paths.telemetryDir().resolve(SecureFiles.TEMP_PREFIX + "killed");
        Path fresh = paths.telemetryDir().resolve(SecureFiles.TEMP_PREFIX + "busy");
        Files.writeString(stale, "{");
        Files.writeString(fresh, "{");
        // file ages are judged on the file system's clock, the one that wrote the mtimes
        java.time.Instant fsNow = Files.getLastModifiedTime(fresh).toInstant();
        Files.setLastModifiedTime(stale, FileTime.from(fsNow.minusSeconds(120)));
        Files.setLastModifiedTime(fresh, FileTime.from(fsNow.minusSeconds(5)));
        recordInit();
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh));
    }
}
