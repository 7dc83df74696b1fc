package ai.treqs.roar.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a process test tells an executable linked by native-check's stand-ins from a GraalVM/Mandrel one. */
class NativeSkipsTest {
    @TempDir Path dir;

    @Test
    void theStandInsMarkIsFoundAnywhereEvenAcrossTwoReads() throws Exception {
        byte[] mark = NativeSkips.LINK_STAND_IN_MARK.getBytes(StandardCharsets.US_ASCII);
        for (int at : new int[] {0, 1000, (1 << 20) - 5, (1 << 20) - 1, 3 * (1 << 20) - 7}) {
            byte[] image = new byte[3 * (1 << 20) + 100];
            System.arraycopy(mark, 0, image, at, mark.length);
            Path file = Files.write(dir.resolve("linked-" + at), image);
            assertTrue(NativeSkips.contains(file, NativeSkips.LINK_STAND_IN_MARK), "mark at " + at);
        }
    }

    @Test
    void anExecutableWithoutTheMarkIsNotTakenForALinkedOne() throws Exception {
        byte[] image = new byte[2 * (1 << 20) + 3];
        byte[] almost = "native-check link".getBytes(StandardCharsets.US_ASCII); // no ": "
        System.arraycopy(almost, 0, image, (1 << 20) - 4, almost.length);
        Path file = Files.write(dir.resolve("real"), image);
        assertFalse(NativeSkips.contains(file, NativeSkips.LINK_STAND_IN_MARK));
    }
}
