package ai.treqs.roar.telemetry.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place that turns a storage failure into words (docs/security.md): what failed and why,
 * {@code cannot write /x/.lock: read-only file system}, never a bare path or an exception's name.
 * A {@link FileSystemException}'s message is the bare path when the JDK has no reason to give (a
 * permission refusal), so the reason is taken from the exception's kind.
 */
public final class IoMessages {

    private IoMessages() {}

    /** {@code cannot <verb> <file>: <why>}, or only the why when the failure names no file. */
    public static String describe(IOException e) {
        return describe(e, null);
    }

    /**
     * As {@link #describe(IOException)}, naming {@code shownAs} as the file: the file the user knows (e.g.
     * {@code global.toml}), not the temporary file an atomic write failed on; also the file named when the
     * failure names none (a write that ran out of space).
     */
    public static String describe(IOException e, Path shownAs) {
        String why = why(e);
        String file = shownAs != null ? shownAs.toString()
                : e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        return file == null ? why : "cannot " + verb(e, why) + " " + file + ": " + why;
    }

    /** The same for an {@link UncheckedIOException}, as streams over directories throw. */
    public static String describe(UncheckedIOException e) {
        return describe(e.getCause());
    }

    /**
     * Why writing {@code target} failed, in words: as {@link #why(IOException)}, except that a file standing
     * where a directory on the way to {@code target} must be (the JDK's {@link FileAlreadyExistsException}
     * names that other path) is {@code <that path> is not a directory}.
     */
    public static String whyWriting(IOException e, Path target) {
        if (e instanceof FileAlreadyExistsException in && in.getFile() != null && !in.getFile().equals(target.toString())) {
            return in.getFile() + " is not a directory";
        }
        return why(e);
    }

    /**
     * Why, in words, lower case: {@code read-only file system}, {@code no space left on device}, {@code permission
     * denied}, {@code a symbolic link loop (too many levels of symbolic links)}.
     */
    public static String why(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return a.getReason() == null ? "permission denied" : words(a.getReason());
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "the directory is not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        if (e instanceof AtomicMoveNotSupportedException) {
            return "it cannot be moved atomically (another file system)";
        }
        if (e instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return "input/output error";
        }
        // ELOOP's strerror, "Too many levels of symbolic links", does not say that it means a loop
        return reason.toLowerCase(Locale.ROOT).contains("symbolic link")
                ? "a symbolic link loop (too many levels of symbolic links)" : words(reason);
    }

    private static String verb(IOException e, String why) {
        if (why.contains("read-only") || why.contains("no space") || why.contains("quota")) {
            return "write";
        }
        if (e instanceof NoSuchFileException) {
            return "find";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "remove";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "create";
        }
        return "access";
    }

    /** strerror's text starts with a capital ("Read-only file system"): inside a sentence it does not. */
    private static String words(String reason) {
        String r = reason.strip();
        return r.length() > 1 && Character.isUpperCase(r.charAt(0)) && !Character.isUpperCase(r.charAt(1))
                ? r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1) : r;
    }
}
