package ai.treqs.roar.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import ai.treqs.roar.telemetry.io.GuardedOpen;

/**
 * The {@code .roar/} line of a project's {@code .gitignore}, looked for and added as bytes: a file in any
 * encoding is scanned through a fixed buffer, never decoded and never held whole, and a file larger
 * than {@link #MAX_SCAN_BYTES} is refused in words rather than read (docs/security.md).
 */
final class GitignoreLine {
    /** Far beyond any real .gitignore; a bigger one (a planted sparse file) is refused, not scanned for minutes. */
    static final long MAX_SCAN_BYTES = 64L << 20;
    static final String ENTRY = ".roar/";
    /** The longest line content that can still be one of the entries once trailing blanks are trimmed. */
    private static final int LONGEST_KEPT = 256;
    private static final byte[][] ENTRIES = {bytes(".roar/"), bytes(".roar"), bytes("/.roar/"), bytes("/.roar")};

    private GitignoreLine() {}

    /** What init needs to know of an existing file: whether the entry is there, whether it ends with a newline. */
    record Scan(boolean present, boolean endsWithNewline) {}

    /**
     * Scans {@code file} (a regular file, checked by the caller) without following a link. It is opened through
     * {@link GuardedOpen}: whatever took its place since the caller's check (a link, a FIFO that would wait for a
     * writer for ever) is refused, within {@link GuardedOpen#BOUND}, not read.
     */
    static Scan scan(Path file) throws IOException {
        GuardedOpen.Outcome outcome = GuardedOpen.open(file, LinkOption.NOFOLLOW_LINKS);
        if (outcome instanceof GuardedOpen.Missing) {
            throw new ProjectInit.Refused(file, "was removed while roar init read it");
        }
        if (outcome instanceof GuardedOpen.NotRegular notRegular) {
            throw new ProjectInit.Refused(file, notRegular.stat().attributes().isSymbolicLink()
                    ? "is a symbolic link, and roar init does not write through links" : "is not a regular file");
        }
        if (outcome instanceof GuardedOpen.Failed failed) {
            throw new ProjectInit.Refused(file, failed.why());
        }
        try (GuardedOpen.Opened opened = (GuardedOpen.Opened) outcome) {
            if (opened.stat().attributes().size() > MAX_SCAN_BYTES) {
                throw new ProjectInit.Refused(file, tooLarge());
            }
            return scan(file, Channels.newInputStream(opened.channel()));
        }
    }

    private static Scan scan(Path file, InputStream in) throws IOException {
        Matcher matcher = new Matcher();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > MAX_SCAN_BYTES) {
                throw new ProjectInit.Refused(file, tooLarge()); // it grew while it was read
            }
            for (int i = 0; i < n; i++) {
                matcher.accept(buffer[i]);
            }
        }
        return new Scan(matcher.finish(), matcher.endsWithNewline());
    }

    /** The bytes to append: the entry on a line of its own. */
    static byte[] appended(Scan scan) {
        return bytes((scan.endsWithNewline() ? "" : "\n") + ENTRY + "\n");
    }

    static byte[] newFile() {
        return bytes(ENTRY + "\n");
    }

    private static String tooLarge() {
        return "is larger than " + (MAX_SCAN_BYTES >> 20) + " MiB, more than roar init reads to look for " + ENTRY
                + " (add that line yourself, or use --no-gitignore)";
    }

    /** Whether a line, blanks (space, tab, CR) around it trimmed, is one of the entries that ignore .roar/. */
    static boolean isEntry(byte[] line, int length) {
        int start = 0;
        int end = length;
        while (start < end && isBlank(line[start])) {
            start++;
        }
        while (end > start && isBlank(line[end - 1])) {
            end--;
        }
        for (byte[] entry : ENTRIES) {
            if (end - start == entry.length && java.util.Arrays.equals(line, start, end, entry, 0, entry.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Line-by-line matching over a stream of bytes with a fixed buffer: a long line is simply not an entry. */
    private static final class Matcher {
        private final byte[] line = new byte[LONGEST_KEPT];
        private int length;
        private boolean overflow;
        private boolean found;
        private int last = '\n';

        void accept(byte b) {
            last = b;
            if (b == '\n') {
                endLine();
            } else if (length < line.length) {
                line[length++] = b;
            } else if (!isBlank(b)) {
                overflow = true;
            }
        }

        private void endLine() {
            found |= !overflow && isEntry(line, length);
            length = 0;
            overflow = false;
        }

        boolean finish() {
            endLine();
            return found;
        }

        boolean endsWithNewline() {
            return last == '\n';
        }
    }
}
