package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roar reset} as one user: what it clears and keeps, and that it removes links as names, never what they
 * point to (the two-user races are {@code ForeignProjectIT}).
 */
class ProjectResetTest {
    @TempDir Path root;

    @Test
    void clearsFilesTreesAndLinksButKeepsConfigAndWhatLinksPointTo() throws IOException {
        Path project = Files.createDirectories(root.resolve("p/.roar")).getParent();
        Path mine = Files.createDirectories(root.resolve("mine/sub")).getParent();
        Files.writeString(mine.resolve("keep.txt"), "mine\n");
        Files.writeString(mine.resolve("sub/keep.txt"), "mine\n");
        Files.writeString(project.resolve(".roar/config.toml"), "# kept\n");
        Files.writeString(project.resolve(".roar/state.db"), "state\n");
        Files.createDirectories(project.resolve(".roar/objects/ab/cd"));
        Files.writeString(project.resolve(".roar/objects/ab/cd/1"), "1\n");
        Files.createSymbolicLink(project.resolve(".roar/objects/ab/to-mine"), mine); // a link deep inside
        Files.createSymbolicLink(project.resolve(".roar/link"), mine);
        Files.createSymbolicLink(project.resolve(".roar/file-link"), mine.resolve("keep.txt"));

        ProjectReset reset = new ProjectReset();
        assertEquals(4, reset.entriesToClear(project));
        assertEquals(4, reset.reset(project));
        assertEquals(List.of("config.toml"), names(project.resolve(".roar")));
        assertEquals(List.of("keep.txt", "sub"), names(mine));
        assertEquals("mine\n", Files.readString(mine.resolve("sub/keep.txt")));
        assertEquals(0, reset.entriesToClear(project));
    }

    @Test
    void aRoarLinkOrNoProjectIsNoRoarDirectory() throws IOException {
        Path mine = Files.createDirectories(root.resolve("mine"));
        Files.writeString(mine.resolve("keep.txt"), "mine\n");
        Path project = Files.createDirectories(root.resolve("p"));
        Files.createSymbolicLink(project.resolve(".roar"), mine);
        ProjectReset reset = new ProjectReset();
        assertEquals(-1, reset.entriesToClear(project));
        assertEquals(-1, reset.reset(project));
        assertEquals(-1, reset.reset(root.resolve("absent")));
        assertTrue(Files.exists(mine.resolve("keep.txt")));
    }

    @Test
    void aTreeDeeperThanTheBoundIsRefusedInWords() throws IOException {
        Path deep = Files.createDirectories(root.resolve("p/.roar"));
        for (int i = 0; i <= OpenDirectories.MAX_DEPTH; i++) {
            deep = Files.createDirectory(deep.resolve("d"));
        }
        IOException refused = assertThrows(IOException.class, () -> new ProjectReset().reset(root.resolve("p")));
        assertTrue(refused.getMessage().endsWith("is nested deeper than " + OpenDirectories.MAX_DEPTH
                + " levels, more than roar deletes"), refused.getMessage());
        assertTrue(refused.getMessage().startsWith(root.resolve("p/.roar/d/d").toString()), refused.getMessage());
    }

    @Test
    void theHandleOfADirectoryIsSecureHere() throws IOException {
        try (SecureDirectoryStream<Path> dir = OpenDirectories.open(root)) {
            assertFalse(OpenDirectories.notOwn(dir, root).isPresent(), "a directory the test made is its own");
        }
    }

    /** The count, the question and the deletion share one handle: a project renamed away and replaced meanwhile is still the one cleared. */
    @Test
    void clearsTheDirectoryItCountedWhateverItsNameLeadsToByThen() throws IOException {
        Path project = Files.createDirectories(root.resolve("p/.roar")).getParent();
        Files.writeString(project.resolve(".roar/state"), "counted\n");
        Path other = Files.createDirectories(root.resolve("other/.roar")).getParent();
        Files.writeString(other.resolve(".roar/state"), "another project's\n");
        try (ProjectReset.Opened roar = new ProjectReset().open(ProjectLocation.named(project))) {
            assertEquals(1, roar.entriesToClear());
            Files.move(project, root.resolve("moved"));
            Files.createSymbolicLink(project, other);
            assertEquals(1, roar.clear());
        }
        assertEquals(List.of(), names(root.resolve("moved/.roar")));
        assertTrue(Files.exists(other.resolve(".roar/state")));
    }

    /**
     * A FIFO where init sets a new file's mode: the open before {@code fchmod} would wait for ever; it is given up on
     * within the bound, and the directory's handle still closes (the waiting call holds a handle of its own).
     */
    @Test
    void settingTheModeOfAFifoIsGivenUpOnAndTheHandleStillCloses() throws Exception {
        Path fifo = root.resolve("config.toml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-r--r--");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SecureDirectoryStream<Path> dir = OpenDirectories.open(root);
            assertFalse(OpenDirectories.setModeWithin(dir, fifo.getFileName(), mode, Duration.ofMillis(200)));
            dir.close();
        });
        try (var writer = Files.newOutputStream(fifo)) {
            writer.flush(); // lets the abandoned open return, so the test leaves no thread waiting
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
