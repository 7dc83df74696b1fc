package ai.treqs.roar.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class UserLocaleTest {

    @Test
    void anUnsetLcAllIsUnsetAgainAndTheRecordDisappears() {
        assertEquals(Map.of("PATH", "/bin"), UserLocale.restore(Map.of("PATH", "/bin", "LC_ALL", "C.UTF-8", UserLocale.SAVED, "-")));
    }

    @Test
    void aSetLcAllComesBackExactlyEvenEmpty() {
        assertEquals(Map.of("LC_ALL", "POSIX"), UserLocale.restore(Map.of("LC_ALL", "C.UTF-8", UserLocale.SAVED, "=POSIX")));
        assertEquals(Map.of("LC_ALL", ""), UserLocale.restore(Map.of("LC_ALL", "C.UTF-8", UserLocale.SAVED, "=")));
    }

    @Test
    void withoutTheLaunchersRecordTheEnvironmentIsTheUsers() {
        Map<String, String> env = Map.of("LC_ALL", "C.UTF-8", "LANG", "de_DE.UTF-8");
        assertEquals(env, UserLocale.restore(env));
    }

    @Test
    void anLcAllTheLauncherDidNotSetIsLeftAlone() {
        assertEquals(Map.of("LC_ALL", "fr_FR.UTF-8"), UserLocale.restore(Map.of("LC_ALL", "fr_FR.UTF-8", UserLocale.SAVED, "-")));
    }
}
