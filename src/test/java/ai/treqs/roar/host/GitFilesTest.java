package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files git opens at the top level: found from a subdirectory, through a {@code gitdir:} file, links followed. */
class GitFilesTest {
    @TempDir Path root;

    @Test
    void aFifoAtTheTopOrInTheGitDirectoryIsFoundFromBelow() throws Exception {
        Path top = Files.createDirectories(root.resolve("top"));
        Files.createDirectories(top.resolve(".git/info"));
        Path sub = Files.createDirectories(top.resolve("a/b"));
        Files.writeString(top.resolve(".gitignore"), "x\n");
        Files.createDirectory(top.resolve(".gitattributes")); // git gets an error from a directory, not a wait
        assertEquals(Optional.empty(), GitFiles.blocking(sub));

        mkfifo(top.resolve(".git/info/exclude"));
        assertTrue(GitFiles.blocking(sub).orElseThrow().startsWith(top.resolve(".git/info/exclude") + " is a FIFO"));
        Files.delete(top.resolve(".git/info/exclude"));
        Files.createSymbolicLink(top.resolve(".git/index"), Path.of("/dev/zero"));
        assertTrue(GitFiles.blocking(top).orElseThrow().startsWith(top.resolve(".git/index").toString()), "a link to a device");
    }

    @Test
    void aWorktreesGitFileLeadsToItsGitDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("store/worktrees/w"));
        Path tree = Files.createDirectories(root.resolve("w"));
        Files.writeString(tree.resolve(".git"), "gitdir: " + elsewhere + "\n");
        assertEquals(Optional.empty(), GitFiles.blocking(tree));
        mkfifo(elsewhere.resolve("HEAD"));
        assertTrue(GitFiles.blocking(tree).orElseThrow().startsWith(elsewhere.resolve("HEAD").toString()));
    }

    @Test
    void aFifoAtTheBranchHeadNamesOrAtPackedRefsIsFoundAndHeadIsReadOnlyWhenItIsAFile() throws Exception {
        Path top = Files.createDirectories(root.resolve("top"));
        Path git = top.resolve(".git");
        Files.createDirectories(git.resolve("refs/heads/topic"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/topic/x\n");
        mkfifo(git.resolve("refs/heads/topic/x"));
        assertTrue(GitFiles.blocking(top).orElseThrow().startsWith(git.resolve("refs/heads/topic/x") + " is a FIFO"));
        Files.delete(git.resolve("refs/heads/topic/x"));
        for (String name : List.of("packed-refs", "shallow", "info/sparse-checkout", "objects/info/alternates")) {
            Files.createDirectories(git.resolve(name).getParent());
            mkfifo(git.resolve(name));
            assertTrue(GitFiles.blocking(top).orElseThrow().startsWith(git.resolve(name) + " is a FIFO"), name);
            Files.delete(git.resolve(name));
        }
        assertEquals(Optional.empty(), GitFiles.blocking(top));

        for (String outside : List.of("ref: refs/../../x", "ref: refs/heads/../../../x", "ref: /tmp/x", "ref: refs/.hidden/x")) {
            Files.writeString(git.resolve("HEAD"), outside + "\n");
            assertEquals(Optional.empty(), GitFiles.headRef(git), outside);
        }
        Files.delete(git.resolve("HEAD"));
        Files.createSymbolicLink(git.resolve("HEAD"), top.resolve("elsewhere"));
        Files.writeString(top.resolve("elsewhere"), "ref: refs/heads/main\n");
        assertEquals(Optional.empty(), GitFiles.headRef(git), "a linked HEAD is not read");
    }

    @Test
    void aWorktreesBranchIsLookedForInTheCommonDirectory() throws Exception {
        Path common = Files.createDirectories(root.resolve("store"));
        Path elsewhere = Files.createDirectories(common.resolve("worktrees/w"));
        Path tree = Files.createDirectories(root.resolve("w"));
        Files.writeString(tree.resolve(".git"), "gitdir: " + elsewhere + "\n");
        Files.writeString(elsewhere.resolve("commondir"), "../..\n");
        Files.writeString(elsewhere.resolve("HEAD"), "ref: refs/heads/w\n");
        Files.createDirectories(common.resolve("refs/heads"));
        mkfifo(common.resolve("refs/heads/w"));
        assertTrue(GitFiles.blocking(tree).orElseThrow().contains("refs/heads/w is a FIFO"));
    }

    @Test
    void noRepositoryNothingToSay() {
        assertEquals(Optional.empty(), GitFiles.blocking(root));
    }

    private static void mkfifo(Path path) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor());
    }
}
