package ai.treqs.roar.telemetry.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.RoarPaths;
import ai.treqs.roar.telemetry.io.FileLocks;
import ai.treqs.roar.telemetry.io.Json;
import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.io.StateFiles;

/**
 * {@code stats.json} (docs/telemetry.md#where-state-lives): every change is one read-modify-write under a short exclusive
 * lock on {@code stats.lock}, written atomically. A corrupt file is moved aside and restarted; a file
 * from a newer schema is left alone.
 */
@ApplicationScoped
public class StatsStore {
    static final int MAX_STATS_BYTES = 1024 * 1024;
    static final int CORRUPT_COPIES_KEPT = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Duration lockWait;

    @Inject
    public StatsStore(Clock clock) {
        this(clock, Duration.ofSeconds(2));
    }

    public StatsStore(Clock clock, Duration lockWait) {
        this.clock = clock;
        this.lockWait = lockWait;
    }

    /** The outcome of one transaction. */
    public sealed interface Update<T> {
        /** {@code created}: the file did not exist (or was corrupt) and a new install began. */
        record Applied<T>(T result, boolean created) implements Update<T> {}
        record NewerSchema<T>(long version) implements Update<T> {}
        record LockBusy<T>() implements Update<T> {}
        /** Telemetry was switched off while this command ran: nothing written. */
        record SwitchedOff<T>() implements Update<T> {}
    }

    /**
     * Applies {@code change} to the current stats under the lock and writes the result. The change
     * gets the stats and whether they were just created; it must not do I/O.
     */
    public <T> Update<T> update(RoarPaths paths, BiFunction<Stats, Boolean, T> change) throws IOException {
        return update(paths, () -> true, change, result -> {});
    }

    /**
     * As above, but only while {@code stillOn} says telemetry is on, asked again under the lock: a
     * {@code --disable} that deleted the identity meanwhile is not undone (docs/telemetry.md#opt-out-controls). {@code thenUnderLock}
     * runs after the write, still under the lock (the enqueue), so a {@code --disable} waiting for the lock
     * deletes what it queued too.
     */
    public <T> Update<T> update(RoarPaths paths, BooleanSupplier stillOn, BiFunction<Stats, Boolean, T> change,
                                IoConsumer<T> thenUnderLock) throws IOException {
        Path dir = paths.telemetryDir();
        SecureFiles.ensureDirectory(dir);
        Instant now = clock.instant();
        Optional<FileLocks.Held> lock = FileLocks.acquire(paths.statsLock(), lockWait);
        if (lock.isEmpty()) {
            return new Update.LockBusy<>();
        }
        try (FileLocks.Held held = lock.get()) {
            if (!stillOn.getAsBoolean()) {
                return new Update.SwitchedOff<>();
            }
            Stats stats;
            boolean created = false;
            Stats.Parsed parsed = load(paths.stats());
            if (parsed instanceof Stats.Parsed.NewerSchema newer) {
                return new Update.NewerSchema<>(newer.version());
            } else if (parsed instanceof Stats.Parsed.Usable usable) {
                stats = usable.stats();
            } else {
                if (parsed instanceof Stats.Parsed.Corrupt) {
                    moveAside(paths.stats(), now);
                }
                stats = Stats.fresh(now);
                created = true;
            }
            stats.touch(now);
            T result = change.apply(stats, created);
            SecureFiles.writeAtomically(paths.stats(), Json.write(stats.asJsonObject()));
            thenUnderLock.accept(result);
            return new Update.Applied<>(result, created);
        }
    }

    /** A step that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }

    /** The current stats without changing anything (no lock: writes are atomic renames). */
    public Optional<Stats> read(RoarPaths paths) {
        try {
            return load(paths.stats()) instanceof Stats.Parsed.Usable usable ? Optional.of(usable.stats()) : Optional.empty();
        } catch (StateFiles.NotOursException e) {
            return Optional.empty();
        }
    }

    /** A link or special file at stats.json is not ours: never read, never moved (docs/security.md). */
    private static Stats.Parsed load(Path file) throws StateFiles.NotOursException {
        try {
            if (StateFiles.regularFileKeyOrAbsent(file) == StateFiles.ABSENT) {
                return new Stats.Parsed.Absent();
            }
            byte[] bytes = SecureFiles.readRegularFile(file, MAX_STATS_BYTES);
            if (bytes == null) {
                return new Stats.Parsed.Corrupt("not a regular file of at most 1 MiB");
            }
            return Stats.from(Json.parseObject(bytes));
        } catch (StateFiles.NotOursException e) {
            throw e;
        } catch (IOException e) {
            return new Stats.Parsed.Corrupt(e.getMessage());
        }
    }

    private static void moveAside(Path file, Instant now) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(now));
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        List<Path> copies = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(file.getParent(), file.getFileName() + ".corrupt-*")) {
            stream.forEach(copies::add);
        }
        copies.sort(null); // the UTC stamp sorts by time
        for (int i = 0; i < copies.size() - CORRUPT_COPIES_KEPT; i++) {
            Files.deleteIfExists(copies.get(i));
        }
    }
}
