package ai.treqs.roar.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/**
 * docs/reliability.md#the-figures, bad input at the CLI: unknown options, two actions, endpoints that are not http(s) URLs
 * or try to inject TOML. One line on stderr (plus picocli's "Try ... --help" hint), exit 2, and the
 * user's files untouched.
 */
class BadInputIT {
    static final String GLOBAL = """
            # my settings, kept byte for byte
            [telemetry]
            endpoint = "https://collector.example/api"   # mine

            [other]
            x = 1
            """;

    @TempDir Path root;

    static final String U = "unknown option or command";
    static final String T = "two actions, an action twice, --json with --print";
    static final String M = "an option or command without its value";
    static final String E = "bad --endpoint: other schemes, user info, space, quote/newline/backslash injecting TOML, no host";

    record Case(String group, String what, String... args) {}

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void badCommandLinesGetOneLineAndExitTwoAndTouchNoFile() throws Exception {
        String secret = "s3cret-pw";
        List<Case> cases = List.of(
                new Case(U, "unknown option", "--bogus"),
                new Case(U, "unknown command", "frobnicate"),
                new Case(T, "two actions", "telemetry", "--disable", "--enable"),
                new Case(T, "two actions", "telemetry", "--status", "--flush"),
                new Case(T, "an action twice", "telemetry", "--disable", "--disable"),
                new Case(T, "--json with an action it does not go with", "telemetry", "--print", "--json"),
                new Case(M, "--endpoint without a value", "telemetry", "--endpoint"),
                new Case(E, "--endpoint: ftp scheme", "telemetry", "--endpoint", "ftp://collector.example/t"),
                new Case(E, "--endpoint: file scheme", "telemetry", "--endpoint", "file:///etc/passwd"),
                new Case(E, "--endpoint: no scheme", "telemetry", "--endpoint", "collector.example/t"),
                new Case(E, "--endpoint: user info", "telemetry", "--endpoint", "https://alice:" + secret + "@collector.example/t"),
                new Case(E, "--endpoint: a space", "telemetry", "--endpoint", "https://collector.example/a b"),
                new Case(E, "--endpoint: quote + newline injecting TOML", "telemetry", "--endpoint",
                        "https://collector.example/\"\n[telemetry]\nenabled = true\n#"),
                new Case(E, "--endpoint: newline injecting a key", "telemetry", "--endpoint",
                        "https://collector.example/\nenabled = false"),
                new Case(E, "--endpoint: backslash escape", "telemetry", "--endpoint", "https://collector.example/\\u0022"),
                new Case(E, "--endpoint: no host", "telemetry", "--endpoint", "http:///t"),
                new Case(M, "roar run without a command", "run"),
                new Case(M, "roar init --path without a value", "init", "--path"));

        RoarProcess roar = Faults.install(root, "http://127.0.0.1:9/unused");
        Files.createDirectories(roar.globalConfig().getParent());
        Files.writeString(roar.globalConfig(), GLOBAL, StandardCharsets.UTF_8);
        FileTime modified = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(roar.globalConfig(), modified);
        byte[] before = Files.readAllBytes(roar.globalConfig());

        List<Callable<RoarProcess.Result>> runs = new ArrayList<>();
        for (Case c : cases) {
            runs.add(() -> Faults.run(roar, c.args()));
        }
        List<RoarProcess.Result> results = Faults.parallel(4, runs);

        List<String> failures = new ArrayList<>();
        java.util.Map<String, List<String>> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            RoarProcess.Result r = results.get(i);
            List<String> lines = r.stderr().lines().toList();
            boolean hintOnly = lines.size() == 2 && lines.get(1).matches("Try 'roar( \\w+)? --help' for more information\\.");
            boolean oneLine = lines.size() == 1 || hintOnly;
            String first = lines.isEmpty() ? "" : lines.get(0);
            boolean ok = r.exitCode() == 2 && oneLine && first.startsWith("roar: ") && r.stdout().isEmpty()
                    && !r.stderr().contains(secret);
            try {
                Faults.assertNoStackTrace(r, c.what());
            } catch (AssertionError e) {
                ok = false;
            }
            if (!ok) {
                failures.add(c.what() + " " + List.of(c.args()) + " -> exit " + r.exitCode() + ", stdout " + r.stdout().length()
                        + " chars, stderr: " + r.stderr());
            }
            groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(r.exitCode() + "|" + lines.size() + "|" + first);
        }
        for (var e : groups.entrySet()) {
            List<String> seen = e.getValue();
            String exits = seen.stream().map(v -> v.split("\\|", 3)[0]).distinct().sorted().toList().toString();
            String lineCounts = seen.stream().map(v -> v.split("\\|", 3)[1]).distinct().sorted().toList().toString();
            String example = seen.get(seen.size() - 1).split("\\|", 3)[2];
            Results.row("CLI: " + e.getKey(), seen.size(), "exit codes " + exits + "; lines on stderr " + lineCounts
                    + " (the message, then picocli's --help hint where it parsed); e.g. \"" + example
                    + "\"; nothing on stdout; global.toml byte-identical, nothing created", 0, 0);
        }
        assertEquals(List.of(), failures);
        assertArrayEquals(before, Files.readAllBytes(roar.globalConfig()), "global.toml byte-identical");
        assertEquals(modified, Files.getLastModifiedTime(roar.globalConfig()), "global.toml not rewritten");
        assertEquals(List.of(roar.globalConfig().getFileName()),
                Faults.entries(roar.globalConfig().getParent(), "*").stream().map(Path::getFileName).toList(),
                "no temp or aside file next to global.toml");
        assertFalse(Files.exists(root.resolve("cache")), "no telemetry state created");
    }
}
