package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import jakarta.enterprise.context.ApplicationScoped;

/** {@code roar reset}: clears the project's local roar state under {@code .roar/}, keeping config.toml. */
@ApplicationScoped
public class ProjectReset {

    /**
     * What a reset would clear, asked before the user is: how many entries besides config.toml;
     * -1 when {@code dir} has no {@code .roar/} directory.
     */
    public int entriesToClear(Path dir) throws IOException {
        Path roarDir = dir.resolve(".roar");
        if (!Files.isDirectory(roarDir, LinkOption.NOFOLLOW_LINKS)) {
            return -1;
        }
        int entries = 0;
        try (DirectoryStream<Path> list = Files.newDirectoryStream(roarDir)) {
            for (Path entry : list) {
                entries += entry.getFileName().toString().equals("config.toml") ? 0 : 1;
            }
        }
        return entries;
    }

    /** @return how many entries were removed; -1 when {@code dir} has no {@code .roar/} */
    public int reset(Path dir) throws IOException {
        Path roarDir = dir.resolve(".roar");
        if (!Files.isDirectory(roarDir, LinkOption.NOFOLLOW_LINKS)) {
            return -1;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(roarDir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals("config.toml")) {
                    deleteTree(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Deletes a file, a symlink (never its target) or a directory tree. */
    private static void deleteTree(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
