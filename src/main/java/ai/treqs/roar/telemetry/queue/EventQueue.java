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

import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.payload.Allowlist;

/**
 * The local queue of events waiting for upload (contract §6): one file per event, named by its id,
 * written atomically and never twice, bounded at 1,000 events.
 */
@ApplicationScoped
public class EventQueue {
    public static final int MAX_EVENTS = 1000;
    public static final Duration RETENTION = Duration.ofDays(7);
    public static final String SUFFIX = ".json";

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

    public Enqueued enqueue(Path queueDir, String eventId, byte[] body) throws IOException {
        if (!Allowlist.isValidEventId(eventId)) {
            return new Enqueued.InvalidId(eventId);
        }
        SecureFiles.ensureDirectory(queueDir);
        Path target = queueDir.resolve(eventId + SUFFIX);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new Enqueued.Duplicate(eventId);
        }
        int dropped = makeRoom(queueDir);
        if (!SecureFiles.writeAtomicallyIfAbsent(target, body)) {
            return new Enqueued.Duplicate(eventId);
        }
        return new Enqueued.Written(target, dropped);
    }

    /**
     * One pass over the names (no stat, no read): counts events and spots temp files. Only a full
     * queue pays for stat-ing every file to find the oldest.
     */
    private int makeRoom(Path queueDir) throws IOException {
        int events = 0;
        boolean temps = false;
        try (DirectoryStream<Path> names = Files.newDirectoryStream(queueDir)) {
            for (Path p : names) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    events++;
                } else if (name.startsWith(SecureFiles.TEMP_PREFIX)) {
                    temps = true;
                }
            }
        }
        if (temps) {
            SecureFiles.removeStaleTemps(queueDir, clock.instant());
        }
        int excess = events - (MAX_EVENTS - 1);
        if (excess <= 0) {
            return 0;
        }
        List<Entry> oldestFirst = entries(queueDir);
        int dropped = 0;
        for (int i = 0; i < excess && i < oldestFirst.size(); i++) {
            if (Files.deleteIfExists(oldestFirst.get(i).file())) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Queued events, oldest first; files that vanish while listed are skipped. */
    public List<Entry> entries(Path queueDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir, "*" + SUFFIX)) {
            for (Path file : stream) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    entries.add(new Entry(file, attrs.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException e) {
                    // an uploader removed it meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing(Entry::modified).thenComparing(e -> e.file().getFileName().toString()));
        return entries;
    }

    /** How many events wait; tolerant of an uploader draining at the same moment. Creates nothing. */
    public int count(Path queueDir) {
        if (!Files.isDirectory(queueDir)) {
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

    /** Removes events older than the retention (mtime) and stale temp files; returns how many events went. */
    public int applyRetention(Path queueDir) throws IOException {
        Instant now = clock.instant();
        SecureFiles.removeStaleTemps(queueDir, now);
        int removed = 0;
        for (Entry entry : entries(queueDir)) {
            if (entry.modified().isBefore(now.minus(RETENTION)) && Files.deleteIfExists(entry.file())) {
                removed++;
            }
        }
        return removed;
    }

    /** Deletes every queued event and temp file (for {@code --disable}); returns how many events went. */
    public int deleteAll(Path queueDir) throws IOException {
        if (!Files.isDirectory(queueDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir)) {
            for (Path file : stream) {
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(file)
                        && file.getFileName().toString().endsWith(SUFFIX)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
