package ai.treqs.roar.telemetry.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which base the working-directory seam gives, and the directories the project-file search walks from it. */
class WorkingDirectoryTest {

    @Test
    void javasTextIsKeptWhenItNamesTheRealDirectory() {
        Path decoded = Path.of("").toAbsolutePath();
        assertEquals(decoded, WorkingDirectory.baseFor(decoded));
    }

    @Test
    void theKernelsNameIsGivenWhenJavasTextNamesAnotherDirectoryOrNone() {
        assumeTrue(Files.isDirectory(WorkingDirectory.OWN), "no /proc: file names are text there");
        Path decoded = Path.of("").toAbsolutePath();
        assertEquals(WorkingDirectory.OWN, WorkingDirectory.baseFor(decoded.resolve("lat\uFFFD-not-there")));
        assertEquals(WorkingDirectory.OWN, WorkingDirectory.baseFor(decoded.getParent()));
    }

    @Test
    void anOrdinaryPathWalksItsParents() {
        assertEquals(List.of(Path.of("/a/b"), Path.of("/a"), Path.of("/")), WorkingDirectory.upward(Path.of("/a/b")));
    }

    @Test
    void theKernelsNameWalksDotDotUpToTheRoot() throws Exception {
        assumeTrue(Files.isDirectory(WorkingDirectory.OWN), "no /proc: file names are text there");
        List<Path> dirs = WorkingDirectory.upward(WorkingDirectory.OWN);
        Path decoded = Path.of("").toAbsolutePath();
        int depth = decoded.getNameCount();
        assertEquals(depth + 1, dirs.size());
        assertEquals(WorkingDirectory.OWN, dirs.get(0));
        assertEquals(WorkingDirectory.OWN.resolve(".."), dirs.get(1));
        assertTrue(Files.isSameFile(decoded.getParent(), dirs.get(1)), "the kernel resolves .. from the real directory");
        assertTrue(Files.isSameFile(Path.of("/"), dirs.get(depth)), "the walk ends at the root");
    }
}
