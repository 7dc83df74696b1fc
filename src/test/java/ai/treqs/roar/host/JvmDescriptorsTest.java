package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The child of {@code roar run} started with stdin closed: a native executable ends up with the JDK's
 * write-only {@code /dev/null} at descriptor 0 (HostProcessIT shows it against the executable).
 */
class JvmDescriptorsTest {

    @Test
    void theAccessModeComesFromTheFlagsLineInOctal() {
        assertTrue(JvmDescriptors.writeOnly("pos:\t0\nflags:\t0100001\nmnt_id:\t25\n"), "O_WRONLY|O_LARGEFILE");
        assertTrue(JvmDescriptors.writeOnly("pos:\t0\nflags:\t02100001\n"), "O_WRONLY|O_CLOEXEC|O_LARGEFILE");
        assertFalse(JvmDescriptors.writeOnly("pos:\t0\nflags:\t0100000\n"), "O_RDONLY");
        assertFalse(JvmDescriptors.writeOnly("pos:\t0\nflags:\t0100002\n"), "O_RDWR");
        assertFalse(JvmDescriptors.writeOnly("pos:\t0\n"), "no flags line");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onlyADevNullOpenedForWritingIsTheStandInOfAClosedDescriptor() throws IOException {
        assertEquals(true, probe(() -> new FileOutputStream("/dev/null")), "/dev/null, write-only");
        assertEquals(false, probe(() -> new FileInputStream("/dev/null")), "/dev/null, read-only: a user's </dev/null");
        assertEquals(false, probe(() -> new RandomAccessFile("/dev/null", "rw")), "/dev/null, read-write");
        Path file = Files.createTempFile("jvm-descriptors", ".txt");
        try {
            assertEquals(false, probe(() -> new FileOutputStream(file.toFile())), "another file, write-only");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface Opener {
        Closeable open() throws IOException;
    }

    /** Opens one file and asks about the descriptor it got (the one that was not open before). */
    private static boolean probe(Opener opener) throws IOException {
        Set<Integer> before = descriptors();
        try (Closeable ignored = opener.open()) {
            Set<Integer> added = descriptors();
            added.removeAll(before);
            assertEquals(1, added.size(), "one new descriptor: " + added);
            return JvmDescriptors.isWriteOnlyNullDevice(added.iterator().next());
        }
    }

    /** The open descriptors, less the one the listing itself used (closed once it is read). */
    private static Set<Integer> descriptors() throws IOException {
        Set<Integer> numbers = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> numbers.add(Integer.parseInt(p.getFileName().toString())));
        }
        numbers.removeIf(n -> !Files.exists(Path.of("/proc/self/fd/" + n), LinkOption.NOFOLLOW_LINKS));
        return numbers;
    }
}
