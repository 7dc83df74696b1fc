package ai.treqs.roar.telemetry.queue;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.io.EventIds;
import ai.treqs.roar.telemetry.io.SecureFiles;

/**
 * The local queue of events waiting for upload (docs/telemetry.md#upload-mechanics): one file per event, named by its id,
 * written atomically and never twice, bounded at 1,000 events.
 */
@ApplicationScoped
public class EventQueue {
    public static final int MAX_EVENTS = 1000;
    public static final Duration RETENTION = Duration.ofDays(7);
    public static final String SUFFIX = ".json";
    /** The most queue files one enqueue removes to get back under the bound. */
    static final int DROP_LIMIT = 100;
    /** The most names one enqueue reads. */
    static final int SCAN_LIMIT = MAX_EVENTS + DROP_LIMIT;

    private final Clock clock;

    @Inject
    public EventQueue(Clock clock) {
        this.clock = clock;
    }

    /** The outcome of one enqueue. */
    public sealed interface Enqueued {
        record Written(Path file, int dropped) implements Enqueued {}
        record Duplicate(String eventId) implements Enqueued {}
        record InvalidId(String eventId) implements Enqueued {}
    }

    /** A queued file as the uploader sees it. */
    public record Entry(Path file, Instant modified) {}

    /** An event to queue: its id (the file name) and its exact bytes. */
    public record Event(String eventId, byte[] body) {}

    public Enqueued enqueue(Path queueDir, String eventId, byte[] body) throws IOException {
        return enqueueAll(queueDir, List.of(new Event(eventId, body))).get(0);
    }

    /** Queues the events of one command with a single pass over the queue to make room for all of them. */
    public List<Enqueued> enqueueAll(Path queueDir, List<Event> events) throws IOException {
        List<Enqueued> outcomes = new ArrayList<>(events.size());
        List<Event> valid = new ArrayList<>(events.size());
        for (Event event : events) {
            if (EventIds.isValid(event.eventId())) {
                valid.add(event);
            }
        }
        int dropped = 0;
        if (!valid.isEmpty()) {
            SecureFiles.ensureOwnDirectory(queueDir);
            dropped = makeRoom(queueDir, valid.size());
        }
        for (Event event : events) {
            if (!EventIds.isValid(event.eventId())) {
                outcomes.add(new Enqueued.InvalidId(event.eventId()));
                continue;
            }
            Path target = queueDir.resolve(event.eventId() + SUFFIX);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || !SecureFiles.writeAtomicallyIfAbsent(target, event.body())) {
                outcomes.add(new Enqueued.Duplicate(event.eventId()));
            } else {
                outcomes.add(new Enqueued.Written(target, dropped));
                dropped = 0;
            }
        }
        return outcomes;
    }

    /**
     * One pass over at most {@link #SCAN_LIMIT} names (no stat, no read) counts events and spots temp
     * files. Only a full queue pays for stat-ing the names it read to find the oldest, and at most
     * {@link #DROP_LIMIT} go per command (one call queues all of a command's events): whatever is on disk, the foreground's work stays bounded
     * (docs/security.md); a flooded queue comes back under the bound over several commands, or by retention
     * in the uploader.
     */
    private int makeRoom(Path queueDir, int adding) throws IOException {
        List<Path> events = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        try (DirectoryStream<Path> names = Files.newDirectoryStream(queueDir)) {
            for (Path p : names) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    events.add(p);
                } else if (name.startsWith(SecureFiles.TEMP_PREFIX)) {
                    temps.add(p);
                }
                if (events.size() + temps.size() >= SCAN_LIMIT) {
                    break;
                }
            }
        }
        if (!temps.isEmpty()) {
            SecureFiles.removeStaleTemps(temps, clock.instant());
        }
        int excess = Math.min(events.size() - (MAX_EVENTS - adding), DROP_LIMIT);
        if (excess <= 0) {
            return 0;
        }
        List<Entry> oldestFirst = stat(events);
        int dropped = 0;
        for (int i = 0; i < excess && i < oldestFirst.size(); i++) {
            if (deleteQuietly(oldestFirst.get(i).file())) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Queued events, oldest first; files that vanish while listed are skipped. */
    public List<Entry> entries(Path queueDir) throws IOException {
        if (!isOwnDirectory(queueDir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return stat(files);
    }

    private static List<Entry> stat(List<Path> files) {
        List<Entry> entries = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                entries.add(new Entry(file, attrs.lastModifiedTime().toInstant()));
            } catch (IOException e) {
                // an uploader removed it meanwhile
            }
        }
        entries.sort(Comparator.comparing(Entry::modified).thenComparing(e -> e.file().getFileName().toString()));
        return entries;
    }

    /** A real directory, not a link to one: a queue path that is anything else is not ours (docs/security.md). */
    public static boolean isOwnDirectory(Path queueDir) {
        return Files.isDirectory(queueDir, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether any event waits; stops at the first name, so a flooded queue costs no more than an empty one. */
    public boolean hasAny(Path queueDir) {
        if (!isOwnDirectory(queueDir)) {
            return false;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir, "*" + SUFFIX)) {
            return stream.iterator().hasNext();
        } catch (IOException | DirectoryIteratorException e) {
            return false;
        }
    }

    /** How many events wait; tolerant of an uploader draining at the same moment. Creates nothing. */
    public int count(Path queueDir) {
        if (!isOwnDirectory(queueDir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir, "*" + SUFFIX)) {
            for (Path ignored : stream) {
                n++;
            }
        } catch (IOException | DirectoryIteratorException e) {
            return n;
        }
        return n;
    }

    /**
     * Removes events older than the retention (mtime) and stale temp files; returns how many events went.
     * What cannot be removed (a non-empty directory named {@code x.json}, a file in a read-only place)
     * is skipped: nothing in the queue can stop an upload run (docs/security.md).
     */
    public int applyRetention(Path queueDir) throws IOException {
        if (!isOwnDirectory(queueDir)) {
            return 0;
        }
        Instant now = clock.instant();
        SecureFiles.removeStaleTemps(queueDir, now);
        int removed = 0;
        for (Entry entry : entries(queueDir)) {
            if (entry.modified().isBefore(now.minus(RETENTION)) && deleteQuietly(entry.file())) {
                removed++;
            }
        }
        return removed;
    }

    /** Deletes every queued event and temp file (for {@code --disable}); returns how many events went. */
    public int deleteAll(Path queueDir) throws IOException {
        if (!isOwnDirectory(queueDir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir)) {
            for (Path file : stream) {
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && deleteQuietly(file)
                        && file.getFileName().toString().endsWith(SUFFIX)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Deletes a file or a link itself (never its target); false when it was gone or cannot be removed. */
    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
