package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.Fifos;

class GitignoreLineTest {
    @TempDir Path root;

    private GitignoreLine.Scan scan(byte[] content) throws Exception {
        Path file = root.resolve("gitignore-" + System.nanoTime());
        Files.write(file, content);
        return GitignoreLine.scan(file);
    }

    @Test
    void theEntryIsFoundInAnyEncodingWithBlanksAroundIt() throws Exception {
        byte[] latin1 = "caf\u00e9\n  .roar/ \r\nx".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(new GitignoreLine.Scan(true, false), scan(latin1));
        assertTrue(scan("/.roar\n".getBytes(StandardCharsets.US_ASCII)).present());
        assertTrue(scan(".roar".getBytes(StandardCharsets.US_ASCII)).present(), "a last line without a newline");
        assertFalse(scan(".roar/x\n# .roar/\n.roarx\n".getBytes(StandardCharsets.US_ASCII)).present());
        assertTrue(scan((".roar/" + " ".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII)).present());
    }

    @Test
    void aLineLongerThanAnyEntryEvenAcrossBuffersIsNotOne() throws Exception {
        byte[] content = ("x".repeat(200_000) + ".roar/\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(new GitignoreLine.Scan(false, true), scan(content));
    }

    @Test
    void theEntryIsAppendedOnALineOfItsOwn() {
        assertArrayEquals("\n.roar/\n".getBytes(StandardCharsets.US_ASCII), GitignoreLine.appended(new GitignoreLine.Scan(false, false)));
        assertArrayEquals(".roar/\n".getBytes(StandardCharsets.US_ASCII), GitignoreLine.appended(new GitignoreLine.Scan(false, true)));
    }

    @Test
    void aFileBeyondTheBoundIsRefusedUnread() throws Exception {
        Path huge = root.resolve("huge");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(GitignoreLine.MAX_SCAN_BYTES + 1);
        }
        ProjectInit.Refused refused = assertThrows(ProjectInit.Refused.class, () -> GitignoreLine.scan(huge));
        assertTrue(refused.getMessage().startsWith(huge + " is larger than 64 MiB"), refused.getMessage());
    }

    @Test
    void aFifoOrLinkPutInPlaceOfTheCheckedFileIsRefusedWithoutWaiting() throws Exception {
        // init checked a regular .gitignore; by the scan, whoever can write the directory has swapped it
        Path fifo = Fifos.mkfifo(root.resolve(".gitignore"));
        ProjectInit.Refused refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ProjectInit.Refused.class, () -> GitignoreLine.scan(fifo)));
        assertEquals(fifo + " is not a regular file; nothing was written", refused.getMessage());

        Path link = Files.createSymbolicLink(root.resolve("linked"), Files.writeString(root.resolve("keys"), ".roar/\n"));
        ProjectInit.Refused throughLink = assertThrows(ProjectInit.Refused.class, () -> GitignoreLine.scan(link));
        assertTrue(throughLink.getMessage().contains("is a symbolic link"), throughLink.getMessage());
    }
}
