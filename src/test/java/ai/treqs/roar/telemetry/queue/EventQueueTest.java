package ai.treqs.roar.telemetry.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.treqs.roar.telemetry.MutableClock;
import ai.treqs.roar.telemetry.io.SecureFiles;

/** docs/telemetry.md#upload-mechanics: one file per event, never twice, private, bounded, and cleaned up after a week. */
class EventQueueTest {
    @TempDir Path root;

    private Path queue;
    private MutableClock clock;
    private EventQueue events;

    @BeforeEach
    void setUp() {
        queue = root.resolve("cache/roar/telemetry/queue");
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        events = new EventQueue(clock);
    }

    private static byte[] body(String id) {
        return ("{\"event_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A queued file written directly, with the age the test wants. */
    private Path queued(String name, Duration age) throws IOException {
        Files.createDirectories(queue);
        Path file = queue.resolve(name);
        Files.write(file, body(name));
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().minus(age)));
        return file;
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(queue)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void anEventIsWrittenAsItsIdWithExactlyItsBytes() throws IOException {
        EventQueue.Enqueued result = events.enqueue(queue, "e-1", body("e-1"));
        EventQueue.Enqueued.Written written = assertInstanceOf(EventQueue.Enqueued.Written.class, result);
        assertEquals(queue.resolve("e-1.json"), written.file());
        assertEquals(0, written.dropped());
        assertArrayEquals(body("e-1"), Files.readAllBytes(queue.resolve("e-1.json")));
        assertEquals(Set.of("e-1.json"), names(), "no temp file is left behind");
    }

    @Test
    void queueFilesAre0600InDirectoriesCreated0700() throws IOException {
        events.enqueue(queue, "e-1", body("e-1"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(queue.resolve("e-1.json"))));
        for (Path dir = queue; !dir.equals(root); dir = dir.getParent()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }
    }

    @Test
    void theSameEventIdIsNeverWrittenTwice() throws IOException {
        events.enqueue(queue, "e-1", body("first"));
        EventQueue.Enqueued again = events.enqueue(queue, "e-1", body("second"));
        assertEquals(new EventQueue.Enqueued.Duplicate("e-1"), again);
        assertArrayEquals(body("first"), Files.readAllBytes(queue.resolve("e-1.json")));
        assertEquals(1, events.count(queue));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../escape", "a/b", "a b", "é", "id\n", "x;rm -rf", "a\\b"})
    void anInvalidEventIdIsRefusedAndNothingIsCreated(String id) throws IOException {
        assertEquals(new EventQueue.Enqueued.InvalidId(id), events.enqueue(queue, id, body("x")));
        assertFalse(Files.exists(queue));
        assertFalse(Files.exists(root.resolve("escape.json")));
    }

    @Test
    void theLongestAllowedIdIsAccepted() throws IOException {
        String id = "a".repeat(128);
        assertInstanceOf(EventQueue.Enqueued.Written.class, events.enqueue(queue, id, body(id)));
        assertEquals(new EventQueue.Enqueued.InvalidId(id + "a"), events.enqueue(queue, id + "a", body(id)));
    }

    @Test
    void aFullQueueDropsTheOldestByModificationTimeToMakeRoom() throws IOException {
        // names sort the other way round from ages, so only the mtime can pick the right victim
        for (int i = 0; i < EventQueue.MAX_EVENTS; i++) {
            queued(String.format("e-%04d.json", i), Duration.ofMinutes(i + 1));
        }
        assertEquals(1000, events.count(queue));

        EventQueue.Enqueued.Written written = assertInstanceOf(EventQueue.Enqueued.Written.class,
                events.enqueue(queue, "newest", body("newest")));

        assertEquals(1, written.dropped());
        assertEquals(1000, events.count(queue));
        assertFalse(Files.exists(queue.resolve("e-0999.json")), "the oldest was dropped");
        assertTrue(Files.exists(queue.resolve("e-0998.json")), "the next oldest stays");
        assertTrue(Files.exists(queue.resolve("e-0000.json")));
        assertTrue(Files.exists(queue.resolve("newest.json")));
    }

    @Test
    void belowTheBoundNothingIsDropped() throws IOException {
        for (int i = 0; i < EventQueue.MAX_EVENTS - 1; i++) {
            queued(String.format("e-%04d.json", i), Duration.ofMinutes(i + 1));
        }
        EventQueue.Enqueued.Written written = assertInstanceOf(EventQueue.Enqueued.Written.class,
                events.enqueue(queue, "newest", body("newest")));
        assertEquals(0, written.dropped());
        assertEquals(1000, events.count(queue));
    }

    @Test
    void retentionRemovesEventsOlderThanSevenDaysAndKeepsNewerOnes() throws IOException {
        queued("old.json", Duration.ofDays(8));
        queued("just-over.json", Duration.ofDays(7).plusSeconds(1));
        queued("just-under.json", Duration.ofDays(7).minusSeconds(1));
        queued("recent.json", Duration.ofHours(1));

        assertEquals(2, events.applyRetention(queue));
        assertEquals(Set.of("just-under.json", "recent.json"), names());
    }

    @Test
    void retentionFollowsTheClockNotTheCalendarOfTheMachine() throws IOException {
        queued("a.json", Duration.ofDays(1));
        assertEquals(0, events.applyRetention(queue));
        clock.advance(Duration.ofDays(7));
        assertEquals(1, events.applyRetention(queue));
        assertEquals(0, events.count(queue));
    }

    @Test
    void staleTempFilesAreRemovedAndFreshOnesKept() throws IOException {
        queued("event.json", Duration.ofMinutes(5));
        queued(SecureFiles.TEMP_PREFIX + "killed-writer", Duration.ofMinutes(2));
        queued(SecureFiles.TEMP_PREFIX + "writer-at-work", Duration.ofSeconds(10));

        events.applyRetention(queue);

        assertEquals(Set.of("event.json", SecureFiles.TEMP_PREFIX + "writer-at-work"), names());
    }

    @Test
    void anEnqueueAlsoSweepsStaleTempFiles() throws IOException {
        queued(SecureFiles.TEMP_PREFIX + "killed-writer", Duration.ofMinutes(2));
        queued(SecureFiles.TEMP_PREFIX + "writer-at-work", Duration.ofSeconds(10));
        events.enqueue(queue, "e-1", body("e-1"));
        assertEquals(Set.of("e-1.json", SecureFiles.TEMP_PREFIX + "writer-at-work"), names());
    }

    @Test
    void countingCreatesNothingAndCountsOnlyEvents() throws IOException {
        assertEquals(0, events.count(queue));
        assertFalse(Files.exists(queue), "--status must not create the queue");

        queued("a.json", Duration.ZERO);
        queued("b.json", Duration.ZERO);
        queued(SecureFiles.TEMP_PREFIX + "x", Duration.ZERO);
        queued("notes.txt", Duration.ZERO);
        assertEquals(2, events.count(queue));
    }

    @Test
    void countingToleratesTheQueueVanishing() throws IOException {
        queued("a.json", Duration.ZERO);
        events.deleteAll(queue);
        Files.delete(queue);
        assertEquals(0, events.count(queue));
        assertEquals(List.of(), events.entries(queue));
    }

    @Test
    void entriesAreOldestFirst() throws IOException {
        queued("b.json", Duration.ofMinutes(1));
        queued("a.json", Duration.ofMinutes(3));
        queued("c.json", Duration.ofMinutes(2));
        assertEquals(List.of("a.json", "c.json", "b.json"),
                events.entries(queue).stream().map(e -> e.file().getFileName().toString()).toList());
    }

    @Test
    void deleteAllRemovesEveryEventAndTempFile() throws IOException {
        queued("a.json", Duration.ZERO);
        queued("b.json", Duration.ofDays(3));
        queued(SecureFiles.TEMP_PREFIX + "x", Duration.ZERO);
        assertEquals(2, events.deleteAll(queue));
        assertEquals(Set.of(), names());
        assertEquals(0, events.deleteAll(root.resolve("no-such-queue")));
    }

    @Test
    void aFloodedQueueCostsOneEnqueueABoundedNumberOfDeletes() throws IOException {
        Files.createDirectories(queue);
        int flood = 3 * EventQueue.SCAN_LIMIT;
        for (int i = 0; i < flood; i++) {
            Path f = Files.write(queue.resolve(String.format("%06d-flood.json", i)), body("x"));
            Files.setLastModifiedTime(f, FileTime.from(clock.instant().minusSeconds(flood - i)));
        }
        List<EventQueue.Enqueued> out = events.enqueueAll(queue, List.of(new EventQueue.Event("a", body("a")),
                new EventQueue.Event("b", body("b")), new EventQueue.Event("c", body("c"))));
        assertInstanceOf(EventQueue.Enqueued.Written.class, out.get(0));
        assertEquals(EventQueue.DROP_LIMIT, ((EventQueue.Enqueued.Written) out.get(0)).dropped(), "one bounded pass per command");
        try (Stream<Path> files = Files.list(queue)) {
            assertEquals(flood - EventQueue.DROP_LIMIT + 3, files.count());
        }
    }

    @Test
    void retentionSkipsWhatItCannotRemoveAndGoesOn() throws IOException {
        Files.createDirectories(queue);
        Path stale = Files.createDirectories(queue.resolve("x.json"));
        Files.writeString(stale.resolve("inside"), "x");
        Path old = Files.write(queue.resolve("old.json"), body("old"));
        FileTime weekAndADay = FileTime.from(clock.instant().minus(Duration.ofDays(8)));
        Files.setLastModifiedTime(stale, weekAndADay);
        Files.setLastModifiedTime(old, weekAndADay);
        assertEquals(1, events.applyRetention(queue));
        assertFalse(Files.exists(old));
        assertTrue(Files.isDirectory(stale));
    }

    @Test
    void aSymlinkedQueueDirectoryIsNeverWrittenCountedOrCleanedThrough() throws IOException {
        Path userDir = Files.createDirectories(root.resolve("user"));
        Path mine = Files.write(userDir.resolve("mine.json"), body("mine"));
        Files.setLastModifiedTime(mine, FileTime.from(clock.instant().minus(Duration.ofDays(30))));
        Files.createDirectories(queue.getParent());
        Files.createSymbolicLink(queue, userDir);
        assertThrows(ai.treqs.roar.telemetry.io.StateFiles.NotOursException.class, () -> events.enqueue(queue, "e1", body("e1")));
        assertEquals(0, events.count(queue));
        assertEquals(0, events.applyRetention(queue));
        assertEquals(0, events.deleteAll(queue));
        assertEquals(List.of(), events.entries(queue));
        try (Stream<Path> files = Files.list(userDir)) {
            assertEquals(List.of(mine), files.toList());
        }
    }
}
