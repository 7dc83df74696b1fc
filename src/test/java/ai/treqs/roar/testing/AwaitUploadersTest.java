package ai.treqs.roar.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwaitUploadersTest {
    @TempDir Path root;
    @TempDir Path elsewhere;

    /** A background process as an install's uploader is one: its environment points into its directory. */
    private static Process backgroundIn(Path dir, String seconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", seconds);
        builder.environment().put("XDG_CACHE_HOME", Files.createDirectories(dir.resolve("cache")).toString());
        return builder.start();
    }

    @Test
    void waitsForAProcessWhoseEnvironmentPointsIntoTheDirectory() throws Exception {
        Process uploader = backgroundIn(root, "1");

        AwaitUploaders.awaitQuiet(List.of(root));

        assertFalse(uploader.isAlive(), "returned while the install's process still ran");
    }

    @Test
    void doesNotWaitForAnotherDirectorysProcess() throws Exception {
        Process other = backgroundIn(elsewhere, "30");
        try {
            AwaitUploaders.awaitQuiet(List.of(root));

            assertTrue(other.isAlive());
        } finally {
            other.destroyForcibly().waitFor();
        }
    }
}
