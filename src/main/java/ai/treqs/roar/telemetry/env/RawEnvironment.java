package ai.treqs.roar.telemetry.env;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The environment as the kernel holds it, bytes and not text: {@code /proc/self/environ}, {@code NAME=value}
 * entries ended by NUL. Read only to tell whether Java's text of a value is the user's own (docs/host-commands.md#what-roar-reads-of-home).
 */
final class RawEnvironment {
    static final Path ENVIRON = Path.of("/proc/self/environ");
    /** Far beyond what a kernel passes to a new program (a few MB at most); more is not read. */
    private static final int MAX_BYTES = 16 << 20;

    private RawEnvironment() {}

    /**
     * Whether {@code text}, encoded as Java encodes file names, is the raw value of {@code name}. ASCII text is
     * exact in every encoding Java uses; otherwise the kernel's bytes decide, and without them (no /proc) text
     * holding U+FFFD, where a decoder put what it could not read, is not taken as exact.
     */
    static boolean isExact(String name, String text) {
        if (text.chars().allMatch(c -> c < 0x80)) {
            return true;
        }
        Optional<byte[]> raw = read().flatMap(environ -> valueOf(environ, name));
        return raw.map(bytes -> Arrays.equals(bytes, text.getBytes(fileNameCharset())))
                .orElse(text.indexOf('\uFFFD') < 0);
    }

    /** The bytes of {@code name}'s value in an environ block, the first entry of that name. */
    static Optional<byte[]> valueOf(byte[] environ, String name) {
        byte[] key = (name + "=").getBytes(StandardCharsets.US_ASCII);
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start >= key.length && Arrays.equals(environ, start, start + key.length, key, 0, key.length)) {
                return Optional.of(Arrays.copyOfRange(environ, start + key.length, end));
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static Optional<byte[]> read() {
        try (InputStream in = Files.newInputStream(ENVIRON)) {
            return Optional.of(in.readNBytes(MAX_BYTES));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The encoding Java gives file names and environment values ({@code sun.jnu.encoding}); UTF-8 when not told. */
    static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
