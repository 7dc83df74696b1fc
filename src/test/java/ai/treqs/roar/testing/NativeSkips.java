package ai.treqs.roar.testing;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The one place where a process test says why it does not run against the native executable
 * ({@code ./mvnw verify -Dnative-its}, {@link RoarProcess#isNative()}); docs/native.md lists every caller.
 * On the JVM build both are no-ops.
 */
public final class NativeSkips {

    /** What {@code ../shared/tools/native-check/link/link.sh} links into every executable (its stand-ins' messages). */
    static final String LINK_STAND_IN_MARK = "native-check link: ";

    private static Boolean linkedByStandIns;

    private NativeSkips() {}

    /**
     * The test is about the JVM build itself (JVM options, {@code java -jar}, the launcher script, the JVM
     * distribution or the JVM's start-up cache): it has no native counterpart to run.
     */
    public static void jvmOnly(String why) {
        assumeFalse(RoarProcess.isNative(), () -> "JVM build only: " + why);
    }

    /**
     * The executable under test was linked here by native-check's stand-ins (not by a GraalVM or Mandrel
     * distribution) and {@code what} hits one of them; a real native build runs the test.
     */
    public static void linkStandIn(String what) {
        assumeFalse(RoarProcess.isNative() && linkedByStandIns(),
                () -> "native-check link stand-in: " + what + " (docs/native.md)");
    }

    /** Whether the native executable carries the link stand-ins' abort message (read once per test JVM). */
    static synchronized boolean linkedByStandIns() {
        if (linkedByStandIns == null) {
            linkedByStandIns = contains(RoarProcess.nativeExecutable(), LINK_STAND_IN_MARK);
        }
        return linkedByStandIns;
    }

    static boolean contains(java.nio.file.Path file, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[1 << 20];
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer, kept, buffer.length - kept)) > 0) {
                int end = kept + n;
                if (indexOf(buffer, end, needle) >= 0) {
                    return true;
                }
                kept = Math.min(needle.length - 1, end); // a match may straddle two reads
                System.arraycopy(buffer, end - kept, buffer, 0, kept);
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
