package ai.treqs.roar.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test that acts as two local users: the victim, {@code nobody} (roar is run through {@link #AS_NOBODY}), and
 * another user, uid {@value #OTHER}, who made names first. Needs root and a working {@code setpriv}; the test is
 * skipped with a message otherwise. Before each test it makes {@link #base()}, a world-traversable directory under
 * {@code target/} (a 0700 {@code @TempDir} would keep {@code nobody} out); after it, it waits for the processes
 * of the installs there (a detached uploader, as {@link AwaitUploaders} does) and removes it.
 *
 * <p>Use: {@code @RegisterExtension final TwoUsers users = new TwoUsers("other-user-");}
 */
public final class TwoUsers implements BeforeEachCallback, AfterEachCallback {
    /** The other user, who made roar's names first. */
    public static final int OTHER = 12345;
    /** The victim, who runs roar. */
    public static final int NOBODY = 65534;
    /** The command prefix that runs roar as {@link #NOBODY}, without root's groups. */
    public static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");

    private final String prefix;
    private Path base;

    /** {@code prefix}: the start of the name of {@link #base()}, for a reader of {@code target/}. */
    public TwoUsers(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root to act as two users (uid " + OTHER + " and nobody)");
        List<String> probe = new ArrayList<>(AS_NOBODY);
        probe.add("true");
        Assumptions.assumeTrue(succeeds(probe.toArray(String[]::new)), "setpriv cannot drop to nobody here");
        base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), prefix);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (base == null) {
            return;
        }
        try {
            AwaitUploaders.awaitQuiet(List.of(base));
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            base = null;
        }
    }

    /** World-traversable, outside the 0700 {@code @TempDir} and outside {@code /tmp} (which a test may replace). */
    public Path base() {
        return base;
    }

    /** An install under {@code root} that belongs to nobody, as a user's home and directories would. */
    public static RoarProcess victim(Path root) throws IOException {
        RoarProcess roar = new RoarProcess(root);
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("cache"));
        chownTree(root, NOBODY);
        return roar;
    }

    /** Everything under {@code root} to {@code uid}: directories and executables 0755, other files 0644, links only re-owned. */
    public static void chownTree(Path root, int uid) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                } else {
                    ownedBy(p, uid, Files.isDirectory(p) || Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--");
                }
            }
        }
    }

    /** {@code p} (not what a link points to) owned by {@code uid} and its group of the same number, with {@code mode}. */
    public static Path ownedBy(Path p, int uid, String mode) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    /** Whether {@code command} runs and exits 0 within 10 s. */
    public static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
