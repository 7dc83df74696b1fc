package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real git, for tests that build repositories: found in an absolute PATH entry (tests plant their own
 * {@code git} in the working directory or first on PATH), with no system or user configuration of the machine.
 */
final class TestGit {

    private TestGit() {}

    /** Runs git in {@code dir} and returns what it printed; fails the test when git fails. */
    static String run(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(path(), "-c", "user.name=t", "-c", "user.email=t@example.invalid"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
        return out;
    }

    /** A repository at {@code repo} with one committed file, {@code f.txt}. */
    static Path repository(Path repo) throws Exception {
        Files.createDirectories(repo);
        run(repo, "init", "-q");
        Files.writeString(repo.resolve("f.txt"), "one\n");
        run(repo, "add", "f.txt");
        run(repo, "commit", "-q", "-m", "one");
        return repo;
    }

    static String path() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (dir.startsWith("/") && Files.isExecutable(Path.of(dir, "git"))) {
                return Path.of(dir, "git").toString();
            }
        }
        return "/usr/bin/git";
    }
}
