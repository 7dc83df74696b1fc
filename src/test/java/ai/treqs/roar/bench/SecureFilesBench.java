package ai.treqs.roar.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import ai.treqs.roar.telemetry.io.SecureFiles;

/** docs/performance.md: one atomic write (temp file, write, fsync, rename over the target) of an event-sized file. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SecureFilesBench {
    private BenchInstall install;
    private Path target;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        install = new BenchInstall();
        Path dir = install.paths.telemetryDir();
        SecureFiles.ensureDirectory(dir);
        target = dir.resolve("stats.json");
        body = BenchInstall.event("00000000-0000-4000-8000-000000000000");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        install.close();
    }

    @Benchmark
    public Path writeAtomically() throws IOException {
        SecureFiles.writeAtomically(target, body);
        return target;
    }
}
