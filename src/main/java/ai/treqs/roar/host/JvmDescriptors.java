package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether one of roar's standard descriptors is really a file of the JVM. Started with stdin, stdout or
 * stderr closed (a cron job, {@code cmd <&-}), the JVM's first open file takes that number (JDK 17 and
 * 25: {@code lib/modules}); the launcher reopens closed descriptors on {@code /dev/null}, and this catches
 * a plain {@code java -jar} start, so the child of {@code roar run} never reads or writes a JVM file.
 */
final class JvmDescriptors {

    private JvmDescriptors() {}

    static boolean isJvmFile(int fd) {
        String javaHome = System.getProperty("java.home");
        if (javaHome == null) {
            return false; // a native executable opens no runtime files
        }
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
            return target.isAbsolute() && target.normalize().startsWith(Path.of(javaHome).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux), or the descriptor is closed: inherit as before
        }
    }
}
