package ai.treqs.roar.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.NativeSkips;
import ai.treqs.roar.testing.TmuxShell;

/**
 * The distribution's completion in a real interactive bash and zsh (tmux), as a user presses Tab:
 * the telemetry verbs, {@code --tracer} values, {@code roar run <TAB>} offering commands and then the
 * command's arguments; the zsh script leaves compinit to the user's ~/.zshrc.
 */
@NativeSkips.JvmOnly("the completion scripts are files of the distribution; no roar process runs")
class ShellCompletionIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BASH_COMPLETION = "/usr/share/bash-completion/bash_completion";

    @TempDir Path root;
    Path home;
    Path work;
    Map<String, String> env;

    @BeforeEach
    void unpack() throws Exception {
        assumeTrue(TmuxShell.available(), "tmux is not installed");
        Path prefix = Files.createDirectories(root.resolve("opt"));
        assertEquals(0, DistributionIT.sh(prefix, "tar xzf '" + DistributionIT.TARBALL + "'").exitCode(), "unpacks");
        home = prefix.resolve("roar-" + DistributionIT.VERSION);
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(bin.resolve("zzroarcmd"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("zzroarcmd"), PosixFilePermissions.fromString("rwxr-xr-x"));
        work = Files.createDirectories(root.resolve("work"));
        Files.writeString(work.resolve("only-here.txt"), "");
        env = Map.of("HOME", Files.createDirectories(root.resolve("home")).toString(), "PATH", bin + ":/usr/bin:/bin",
                "TERM", "xterm", "PS1", "$ ", "LANG", "C.UTF-8");
    }

    @Test
    void bashCompletesVerbsTracerModesAndTheWrappedCommand() throws Exception {
        try (TmuxShell bash = new TmuxShell(work, env, "bash --norc --noprofile -i")) {
            bash.type("source '" + home.resolve("share/bash-completion/completions/roar") + "'; clear").press("Enter");
            assertCompletes(bash);
        }
    }

    @Test
    void bashWithBashCompletionHandsTheWrappedCommandsArgumentsToIt() throws Exception {
        assumeTrue(Files.exists(Path.of(BASH_COMPLETION)), "bash-completion is not installed");
        try (TmuxShell bash = new TmuxShell(work, env, "bash --norc --noprofile -i")) {
            bash.type("source " + BASH_COMPLETION + "; source '" + home.resolve("share/bash-completion/completions/roar")
                    + "'; clear").press("Enter");
            assertCompletes(bash);
        }
    }

    @Test
    void zshCompletesTheSameOnceTheUserHasRunCompinit() throws Exception {
        assumeTrue(DistributionIT.sh(root, "command -v zsh").exitCode() == 0, "zsh is not installed");
        try (TmuxShell zsh = new TmuxShell(work, env, "zsh -f -i")) {
            zsh.type("source '" + home.resolve("share/zsh/site-functions/_roar") + "'; echo rc=$? compdef=${+functions[compdef]}")
                    .press("Enter");
            String alone = zsh.await(s -> s.contains("rc=1 compdef=0"), WAIT);
            assertTrue(alone.contains("rc=1 compdef=0") && alone.contains("autoload -U compinit && compinit"),
                    "without compinit: a message, and compinit is not run for the user: " + alone);

            zsh.type("autoload -U compinit && compinit -u && source '" + home.resolve("share/zsh/site-functions/_roar")
                    + "'; clear").press("Enter");
            assertCompletes(zsh);
        }
    }

    /** Each line typed, Tab pressed, the completed line on the screen, the line cleared. */
    private static void assertCompletes(TmuxShell shell) throws Exception {
        for (String[] typedAndCompleted : new String[][] {
                {"roar telemetry sta", "roar telemetry status "},
                {"roar run --tracer d", "roar run --tracer disabled "},
                {"roar run zzroarc", "roar run zzroarcmd "},
                {"roar run -- zzroarc", "roar run -- zzroarcmd "},
                {"roar run zzroarcmd only-", "roar run zzroarcmd only-here.txt"}}) {
            shell.type(typedAndCompleted[0]).press("Tab");
            String screen = shell.await(s -> s.contains(typedAndCompleted[1]), WAIT);
            assertTrue(screen.contains(typedAndCompleted[1]), typedAndCompleted[0] + "<TAB>:\n" + screen);
            shell.press("C-u").type("clear").press("Enter");
            shell.await(s -> !s.contains(typedAndCompleted[1]), WAIT);
        }
    }
}
