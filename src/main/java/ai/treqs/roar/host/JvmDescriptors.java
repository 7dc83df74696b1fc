package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether one of roar's standard descriptors is not what the user gave it. Started with stdin, stdout or
 * stderr closed (a cron job, {@code cmd <&-}), the JVM's first open file takes that number (JDK 17 and
 * 25: {@code lib/modules}); the launcher reopens closed descriptors on {@code /dev/null}, and this catches
 * a plain {@code java -jar} start, so the child of {@code roar run} never reads or writes a JVM file.
 * A native executable has no runtime files, but the JDK's {@code FileDescriptor} close, for a file that
 * got number 0, 1 or 2, leaves {@code /dev/null} opened write-only there: as stdin that is unreadable.
 */
final class JvmDescriptors {

    private static final Path NULL_DEVICE = Path.of("/dev/null");
    /** O_ACCMODE and O_WRONLY of Linux's {@code flags:} line in {@code /proc/self/fdinfo/N} (octal). */
    private static final int ACCESS_MODE = 3;
    private static final int WRITE_ONLY = 1;

    private JvmDescriptors() {}

    /** Whether the child of {@code roar run} gets {@code /dev/null} in place of roar's descriptor {@code fd}. */
    static boolean replaceWithNullDevice(int fd) {
        return isJvmFile(fd) || (fd == 0 && isWriteOnlyNullDevice(0));
    }

    static boolean isJvmFile(int fd) {
        String javaHome = System.getProperty("java.home");
        if (javaHome == null) {
            return false; // a native executable opens no runtime files
        }
        try {
            Path target = openFile(fd);
            return target.isAbsolute() && target.normalize().startsWith(Path.of(javaHome).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux), or the descriptor is closed: inherit as before
        }
    }

    /** The JDK's stand-in for a closed descriptor: {@code /dev/null} opened for writing only. */
    static boolean isWriteOnlyNullDevice(int fd) {
        try {
            return NULL_DEVICE.equals(openFile(fd)) && writeOnly(Files.readString(Path.of("/proc/self/fdinfo/" + fd)));
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux), or the descriptor is closed: inherit as before
        }
    }

    /** What descriptor {@code fd} of this process has open, as Linux names it. */
    private static Path openFile(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
    }

    /** Pure: whether an fdinfo text's {@code flags:} (octal) say write-only. */
    static boolean writeOnly(String fdinfo) {
        for (String line : fdinfo.split("\n")) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring("flags:".length()).strip(), 8) & ACCESS_MODE) == WRITE_ONLY;
            }
        }
        return false;
    }
}
