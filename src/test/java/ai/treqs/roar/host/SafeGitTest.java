package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** How roar's git calls are pinned: every filter driver the configuration names is switched off on the command line. */
class SafeGitTest {

    @Test
    void driverNamesComeFromTheKeysAndMayHoldDots() {
        assertEquals(Optional.of(Set.of("evil", "lfs", "a.b")), SafeGit.filterDrivers(
                "filter.evil.clean\0filter.evil.required\0filter.lfs.process\0filter.a.b.smudge\0filter.nodriver\0"));
        assertEquals(Optional.of(Set.of()), SafeGit.filterDrivers(""));
    }

    @Test
    void aNameTheCommandLineCannotExpressMeansNoCall() {
        assertEquals(Optional.empty(), SafeGit.filterDrivers("filter.ok.clean\0filter.a=b.clean\0"));
        assertEquals(Optional.empty(), SafeGit.filterDrivers("filter.line\nbreak.clean\0"));
    }

    @Test
    void everyCallPinsFsmonitorHooksAndEachDriversCommands() {
        List<String> command = SafeGit.command(Set.of("evil"), "status", "--porcelain");
        assertEquals("git", command.get(0));
        assertTrue(command.containsAll(List.of("--no-pager", "--no-optional-locks", "core.fsmonitor=false",
                "core.hooksPath=/dev/null", "filter.evil.clean=", "filter.evil.smudge=", "filter.evil.process=",
                "filter.evil.required=false")), command.toString());
        assertEquals(List.of("status", "--porcelain"), command.subList(command.size() - 2, command.size()));
        assertEquals("", SafeGit.ENVIRONMENT.get("GIT_ALLOW_PROTOCOL"), "no transport for a lazy fetch");
    }
}
