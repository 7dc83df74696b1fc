package ai.treqs.roar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.treqs.roar.telemetry.io.SecureFiles;
import ai.treqs.roar.telemetry.queue.EventQueue;

/**
 * docs/performance.md#enqueue: one enqueue with {@code queued} events already waiting. 999 is the largest queue that
 * still has room (the names are counted, nothing is stat-ed); 1,000 is full, so the oldest is found and
 * dropped first, and the queue stays full from one invocation to the next.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventQueueBench {
    @Param({"0", "999", "1000"})
    public int queued;

    private BenchInstall install;
    private EventQueue queue;
    private Path dir;
    private EventQueue.Enqueued last;
    private final byte[] body = BenchInstall.event("00000000-0000-4000-8000-000000000000");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        install = new BenchInstall();
        queue = new EventQueue(install.clock);
        dir = install.paths.queueDir();
        SecureFiles.ensureDirectory(dir);
        Instant start = Instant.now().minus(2, ChronoUnit.DAYS);
        for (int i = 0; i < queued; i++) {
            String id = UUID.randomUUID().toString();
            Path file = dir.resolve(id + EventQueue.SUFFIX);
            Files.write(file, BenchInstall.event(id));
            Files.setLastModifiedTime(file, FileTime.from(start.plusSeconds(i)));
        }
        if (queue.count(dir) != queued) {
            throw new IllegalStateException("queue not prepared");
        }
    }

    /** Below the bound, the new event is taken back out so every invocation sees {@code queued} events. */
    @TearDown(Level.Invocation)
    public void restore() throws IOException {
        if (queued < EventQueue.MAX_EVENTS && last instanceof EventQueue.Enqueued.Written w) {
            Files.deleteIfExists(w.file());
        } else if (queued >= EventQueue.MAX_EVENTS && !(last instanceof EventQueue.Enqueued.Written w && w.dropped() == 1)) {
            throw new IllegalStateException("a full queue should drop exactly one event, got " + last);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        install.close();
    }

    @Benchmark
    public EventQueue.Enqueued enqueue() throws IOException {
        String id = UUID.randomUUID().toString();
        last = queue.enqueue(dir, id, body); // the queue never looks inside the body
        return last;
    }
}
