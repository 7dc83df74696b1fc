package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class InheritedDescriptorsTest {
    @Test
    void eachDescriptorIsOpenedAgainWithItsAccessModeAndWhatProcCannotOpenIsLeftOut() {
        assertEquals(Optional.of("3</proc/42/fd/3"), InheritedDescriptors.redirection(3, "pipe:[7]", "pos:\t0\nflags:\t00\n", false, 42));
        assertEquals(Optional.of("4>>/proc/42/fd/4"), InheritedDescriptors.redirection(4, "/tmp/f", "flags:\t0100001\n", false, 42),
                "write-only: appended, never truncated");
        assertEquals(Optional.of("5<>/proc/42/fd/5"), InheritedDescriptors.redirection(5, "/dev/pts/1", "flags:\t0102002\n", false, 42));
        assertEquals(Optional.empty(), InheritedDescriptors.redirection(6, "socket:[9]", "flags:\t02\n", false, 42));
        assertEquals(Optional.empty(), InheritedDescriptors.redirection(7, "anon_inode:[eventfd]", "flags:\t02\n", false, 42));
        assertEquals(Optional.empty(), InheritedDescriptors.redirection(8, "/tmp/fifo", "flags:\t00\n", true, 42), "its open could wait");
    }

    @Test
    void withoutTheLaunchersRecordNothingIsGivenAndTheShellIgnoresWhatItCannotOpen() {
        assertEquals(List.of(), InheritedDescriptors.redirections(Optional.empty(), 42));
        assertEquals(List.of(), InheritedDescriptors.redirections(Optional.of("x1;0"), 42), "only 3 to 9");
        assertEquals("{ command exec 3</proc/1/fd/3; } 2>/dev/null; ", ExactChild.reopening(List.of("3</proc/1/fd/3")));
    }
}
