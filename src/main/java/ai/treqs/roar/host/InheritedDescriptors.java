package ai.treqs.roar.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Descriptors 3 to 9 the user gave roar ({@code 3>file}, GNU make 4.3's jobserver pipe), handed to the child of
 * {@code roar run} (docs/host-commands.md#what-the-child-gets). The JVM closes every descriptor above 2 in each
 * process it starts, and its own files are open without close-on-exec too, so only the launcher can say which
 * were inherited: it records the ones open when it starts in {@link #SAVED}. The child's {@code /bin/sh} opens
 * each again through {@code /proc/<roar>/fd/N} with its access mode: the same pipe, terminal or file, as a new
 * open file (a write-only file appends). A socket, a named FIFO (whose open could wait) and anything else
 * {@code /proc} cannot open are not given.
 */
final class InheritedDescriptors {
    /** The launcher's record: the digits of the descriptors 3-9 open when it started ({@code "35"}). */
    static final String SAVED = "ROAR_LAUNCHER_FDS";
    /** O_ACCMODE of Linux's {@code flags:} line in {@code /proc/self/fdinfo/N} (octal). */
    private static final int ACCESS_MODE = 3;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private InheritedDescriptors() {}

    /** The shell redirections that open the recorded descriptors again in the child; empty without a record. */
    static List<String> redirections(Optional<String> recorded, long pid) {
        List<String> out = new ArrayList<>();
        if (recorded.isEmpty()) {
            return out;
        }
        recorded.get().chars().filter(c -> c >= '3' && c <= '9').distinct().forEach(c -> {
            int fd = c - '0';
            try {
                Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
                String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
                redirection(fd, target.toString(), fdinfo, isNamedFifo(target, fd), pid).ifPresent(out::add);
            } catch (IOException | RuntimeException e) {
                // closed since, or no /proc: nothing to give
            }
        });
        return out;
    }

    /** Pure: {@code 3</proc/PID/fd/3}, {@code 4>>...} or {@code 5<>...} for a descriptor that can be opened again. */
    static Optional<String> redirection(int fd, String target, String fdinfo, boolean namedFifo, long pid) {
        if (namedFifo || !(target.startsWith("/") || target.startsWith("pipe:"))) {
            return Optional.empty(); // socket:[..], anon_inode:[..]: /proc cannot open them; a FIFO's open may wait
        }
        String operator = switch (accessMode(fdinfo)) {
            case 0 -> "<";
            case 1 -> ">>";
            case 2 -> "<>";
            default -> null;
        };
        return operator == null ? Optional.empty() : Optional.of(fd + operator + "/proc/" + pid + "/fd/" + fd);
    }

    private static int accessMode(String fdinfo) {
        for (String line : fdinfo.split("\n")) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).strip(), 8) & ACCESS_MODE;
            }
        }
        return -1;
    }

    /** Whether descriptor {@code fd}, open on a path, is a FIFO (its open file, as the magic link shows it). */
    private static boolean isNamedFifo(Path target, int fd) {
        if (!target.isAbsolute()) {
            return false; // pipe:[..]: an anonymous pipe, whose open through /proc never waits
        }
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: do not risk an open that waits
        }
    }
}
