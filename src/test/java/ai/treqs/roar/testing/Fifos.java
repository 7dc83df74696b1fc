package ai.treqs.roar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named pipes for tests: what waits for a writer for ever when a reader opens it. */
public final class Fifos {
    private Fifos() {}

    /** Makes a FIFO at {@code path} with {@code mkfifo} (Java has no call for it). */
    public static Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mkfifo " + path);
        assertEquals(0, p.exitValue(), "mkfifo " + path);
        return path;
    }
}
