package ai.treqs.roar.telemetry.env;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ai.treqs.roar.telemetry.io.Utf8;

/**
 * An argument as the user typed it. Under the POSIX locale the JVM decodes argv as ASCII and turns
 * every other byte into U+FFFD, so {@code --endpoint https://host/tä} would be saved mangled; the
 * kernel still has the bytes in {@code /proc/self/cmdline}, and UTF-8 is what a terminal typed.
 */
public final class CommandLineText {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");
    private static final int MAX_BYTES = 1 << 20;

    private CommandLineText() {}

    /** {@code decoded} itself when nothing was lost, the typed text when it can be recovered, else empty. */
    public static Optional<String> asTyped(String decoded) {
        if (decoded.indexOf('\uFFFD') < 0) {
            return Optional.of(decoded);
        }
        try (InputStream in = Files.newInputStream(CMDLINE)) {
            return recover(decoded, in.readNBytes(MAX_BYTES));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The last NUL-separated argument of {@code cmdline} whose tail decodes, byte for char, to {@code decoded}. */
    static Optional<String> recover(String decoded, byte[] cmdline) {
        List<byte[]> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (i > start) {
                    args.add(Arrays.copyOfRange(cmdline, start, i));
                }
                start = i + 1;
            }
        }
        byte[] exact = decoded.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte[] arg : args) {
            int offset = arg.length - exact.length;
            // a U+FFFD the user typed as such (its UTF-8 bytes), the whole argument or the value of --option=value
            if (offset >= 0 && (offset == 0 || arg[offset - 1] == '=')
                    && Arrays.equals(arg, offset, arg.length, exact, 0, exact.length)) {
                return Optional.of(decoded);
            }
        }
        for (int a = args.size() - 1; a >= 0; a--) {
            byte[] arg = args.get(a);
            int offset = arg.length - decoded.length();
            // the whole argument, or the value of --option=value
            if (offset < 0 || (offset > 0 && arg[offset - 1] != '=') || !sameLossy(arg, offset, decoded)) {
                continue;
            }
            try {
                return Optional.of(Utf8.decodeStrict(Arrays.copyOfRange(arg, offset, arg.length)));
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean sameLossy(byte[] arg, int offset, String decoded) {
        for (int i = 0; i < decoded.length(); i++) {
            byte b = arg[offset + i];
            char c = decoded.charAt(i);
            if (b >= 0 ? c != (char) b : c != '\uFFFD') {
                return false;
            }
        }
        return true;
    }
}
