package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.GuardedOpen;

/**
 * The files git opens at a repository's top level during roar's calls, checked before git starts: git reads a
 * FIFO there (a {@code .gitattributes} or {@code .git/index} made with {@code mkfifo}) and waits for a writer
 * that never comes; so does a FIFO in the branch {@code HEAD} names, {@code packed-refs}, {@code shallow},
 * {@code info/sparse-checkout} or {@code objects/info/alternates}. One that is a FIFO, socket or device (a link is
 * followed, only to look at what it is) means git is not run
 * (docs/host-commands.md#checks-before-starting-in-this-order).
 */
final class GitFiles {
    /** Opened in the work tree's top directory. */
    private static final List<String> IN_TOP = List.of(".gitattributes", ".gitignore");
    /** Opened in the repository's own directory ({@code .git}, or where a {@code gitdir:} file points). */
    private static final List<String> IN_GIT_DIR = List.of("config", "HEAD", "index", "commondir",
            "info/attributes", "info/exclude", "info/sparse-checkout", "packed-refs", "shallow", "objects/info/alternates");
    /** A ref git could name in {@code HEAD}: below {@code refs/}, no component starting with {@code .}, none of git's forbidden characters. */
    private static final Pattern REF = Pattern.compile("refs(/[^/\\x00-\\x20\\x7f~^:?*\\[\\\\.][^/\\x00-\\x20\\x7f~^:?*\\[\\\\]*)+");
    /** Far more than a ref name holds; a longer one is not looked for. */
    private static final int MAX_REF = 1024;
    /** Far more than a {@code gitdir:} or {@code commondir} line holds; more is not read. */
    private static final int MAX_LINE = 4096;

    private GitFiles() {}

    /** Why git must not run in {@code dir}, in words; empty when every such file is absent or a regular file. */
    static Optional<String> blocking(Path dir) {
        for (Path top : WorkingDirectory.upward(dir)) {
            Path dotGit = top.resolve(".git");
            if (!Files.exists(dotGit)) {
                continue;
            }
            List<Path> opened = new ArrayList<>();
            IN_TOP.forEach(name -> opened.add(top.resolve(name)));
            opened.add(dotGit);
            Optional<Path> gitDir = Files.isDirectory(dotGit) ? Optional.of(dotGit)
                    : Files.isRegularFile(dotGit) ? pointer(dotGit, "gitdir: ").map(p -> top.resolve(p)) : Optional.empty();
            gitDir.ifPresent(g -> IN_GIT_DIR.forEach(name -> opened.add(g.resolve(name))));
            Optional<Path> common = gitDir.filter(g -> Files.isRegularFile(g.resolve("commondir")))
                    .flatMap(g -> pointer(g.resolve("commondir"), "").map(g::resolve));
            common.ifPresent(c -> IN_GIT_DIR.forEach(name -> opened.add(c.resolve(name))));
            // the branch HEAD names: its file in the repository's directory (and the common one of a worktree)
            gitDir.flatMap(GitFiles::headRef).ifPresent(ref -> {
                opened.add(gitDir.get().resolve(ref));
                common.ifPresent(c -> opened.add(c.resolve(ref)));
            });
            for (Path file : opened) {
                Optional<String> kind = unusualKind(file);
                if (kind.isPresent()) {
                    return Optional.of(file + " is " + kind.get() + ", not a regular file, and git would wait on it");
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * What {@code file} is when it exists and git would wait reading it (links followed): a FIFO, a socket or a
     * device; empty for a regular file or a directory (git gets an error from one, not a wait) or nothing.
     */
    static Optional<String> unusualKind(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // absent, a dangling link or a loop: git gets an error, not a wait
        }
        return attributes.isRegularFile() || attributes.isDirectory() ? Optional.empty()
                : Optional.of("a FIFO, socket or device");
    }

    /**
     * The ref {@code HEAD} names ({@code ref: refs/heads/main}), read only when {@code HEAD} is itself a regular file
     * (not a link, not a FIFO), and only a name that stays below {@code refs/}; else empty.
     */
    static Optional<String> headRef(Path gitDir) {
        Path head = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(head, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return pointer(head, "ref: ").filter(ref -> ref.length() <= MAX_REF && REF.matcher(ref).matches()
                && !ref.contains(".."));
    }

    /**
     * The path after {@code prefix} on the first line of a small regular file ({@code gitdir: ../x}); opened through
     * {@link GuardedOpen}, so a FIFO put in its place after the check above cannot make roar wait.
     */
    private static Optional<String> pointer(Path file, String prefix) {
        if (!(GuardedOpen.open(file) instanceof GuardedOpen.Opened opened)) {
            return Optional.empty();
        }
        try (opened) {
            String text = new String(opened.readAtMost(MAX_LINE), StandardCharsets.UTF_8);
            String line = text.lines().findFirst().orElse("").strip();
            return line.startsWith(prefix) && line.length() > prefix.length()
                    ? Optional.of(line.substring(prefix.length())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
