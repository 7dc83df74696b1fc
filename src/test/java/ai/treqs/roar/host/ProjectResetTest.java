package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
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

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
