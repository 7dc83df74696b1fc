package ai.treqs.roar.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.treqs.roar.testing.RoarProcess;

/** The command line as a person types it, against the packaged jar: typos, help, verbs, --version, --schema, the notice. */
class CommandLineIT {

    static final String NOTICE_START = "roar collects anonymous usage milestones";

    @TempDir Path root;

    RoarProcess roar() throws Exception {
        return new RoarProcess(root);
    }

    @Test
    void aMistypedCommandOrOptionGetsASuggestionWithOneRoarPrefix() throws Exception {
        RoarProcess.Result command = roar().run("telemetery");
        assertEquals(2, command.exitCode());
        assertEquals("roar: unknown command 'telemetery'. Did you mean: telemetry?\nTry 'roar --help' for more information.\n",
                command.stderr());

        RoarProcess.Result option = roar().run("telemetry", "--statsu");
        assertEquals(2, option.exitCode());
        assertTrue(option.stderr().startsWith("roar: unknown option '--statsu'. Did you mean: --status"), option.stderr());

        // an unknown option before run's CMD is that, not a missing CMD
        for (List<String> args : List.of(List.of("run", "--x"), List.of("run", "--x", "--", "true"))) {
            RoarProcess.Result run = roar().run(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.stderr());
            assertEquals("roar: unknown option '--x'.\nTry 'roar run --help' for more information.\n", run.stderr(), String.join(" ", args));
        }

        RoarProcess.Result twoActions = roar().run("telemetry", "--status", "--print");
        assertEquals(2, twoActions.exitCode());
        for (String line : twoActions.stderr().lines().toList()) {
            assertFalse(line.contains("Error:"), line);
            assertFalse(line.startsWith("roar: roar:"), line);
        }
        assertTrue(twoActions.stderr().startsWith("roar: --status, --print are mutually exclusive"), twoActions.stderr());
    }

    @Test
    void roarAloneListsTheCommandsOnStderrAndHelpWorks() throws Exception {
        RoarProcess.Result alone = roar().run();
        assertEquals(2, alone.exitCode());
        assertEquals("", alone.stdout());
        assertTrue(alone.stderr().startsWith("Usage: roar"), alone.stderr());
        assertTrue(alone.stderr().contains("telemetry") && !alone.stderr().contains("__upload"), alone.stderr());

        RoarProcess.Result help = roar().run("help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: roar"), help.stdout());

        RoarProcess.Result helpTelemetry = roar().run("help", "telemetry");
        assertEquals(0, helpTelemetry.exitCode(), helpTelemetry.stderr());
        assertEquals(roar().run("telemetry", "--help").stdout(), helpTelemetry.stdout());
        assertTrue(helpTelemetry.stdout().contains("What is not collected"), helpTelemetry.stdout());
        assertTrue(helpTelemetry.stdout().contains("--status"), helpTelemetry.stdout());
        helpTelemetry.stdout().lines().forEach(l -> assertTrue(l.length() <= 80, l));

        RoarProcess.Result internal = roar().run("__upload", "--help");
        assertEquals(0, internal.exitCode(), internal.stderr());
        assertEquals("", internal.stderr());
    }

    @Test
    void theVerbsAreTheFlags() throws Exception {
        RoarProcess roar = roar().env("DO_NOT_TRACK", "1");
        for (String[] pair : new String[][] {{"status", "--status"}, {"print", "--print"}, {"history", "--history"},
                {"schema", "--schema"}}) {
            RoarProcess.Result verb = roar.run("telemetry", pair[0]);
            RoarProcess.Result flag = roar.run("telemetry", pair[1]);
            assertEquals(flag.exitCode(), verb.exitCode(), pair[0]);
            assertEquals(throwaway(flag.stdout()), throwaway(verb.stdout()), pair[0]);
            assertEquals(flag.stderr(), verb.stderr(), pair[0]);
        }
        assertEquals(roar.run("telemetry", "--status", "--json").stdout(), roar.run("telemetry", "status", "--json").stdout());
        assertEquals(roar.run("telemetry", "--history", "--json").stdout(), roar.run("telemetry", "history", "--json").stdout());
        assertEquals(2, roar.run("telemetry", "print", "--json").exitCode());
        assertEquals(2, roar.run("telemetry", "--print", "status").exitCode());

        RoarProcess.Result endpoint = roar.run("telemetry", "endpoint", "http://127.0.0.1:9/t");
        assertEquals(0, endpoint.exitCode(), endpoint.stderr());
        assertTrue(Files.readString(roar.globalConfig()).contains("endpoint = \"http://127.0.0.1:9/t\""));
        RoarProcess.Result bad = roar.run("telemetry", "endpoint", "ftp://x");
        assertEquals(roar.run("telemetry", "--endpoint", "ftp://x").stderr(), bad.stderr());
        assertEquals(2, bad.exitCode());

        assertEquals(0, roar.run("telemetry", "disable").exitCode());
        assertTrue(Files.readString(roar.globalConfig()).contains("enabled = false"));
        assertEquals(0, roar.run("telemetry", "enable").exitCode());
        assertTrue(Files.readString(roar.globalConfig()).contains("enabled = true"));
    }

    @Test
    void schemaPrintsThePublishedSchema() throws Exception {
        RoarProcess.Result schema = roar().run("telemetry", "--schema");
        assertEquals(0, schema.exitCode(), schema.stderr());
        assertEquals(Files.readString(Path.of("src/main/resources/roar/payload-schema-v1.json")), schema.stdout());
        assertFalse(Files.exists(root.resolve("cache/roar")), "--schema writes nothing");
    }

    @Test
    void versionNamesTheJavaRuntimeAndNoPackagerLineForTheStandardBuild() throws Exception {
        RoarProcess.Result version = roar().run("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        List<String> lines = version.stdout().lines().toList();
        assertEquals(2, lines.size(), version.stdout());
        assertEquals("roar " + DistributionIT.VERSION, lines.get(0));
        if (RoarProcess.isNative()) {
            // built from the builder's Java, which this test cannot know; it must say it is no Java installation
            assertTrue(lines.get(1).matches("Java [0-9][^ ]* \\(.+\\), native executable"), lines.get(1));
        } else {
            assertEquals("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")", lines.get(1));
        }
    }

    @Test
    void theNoticeNeedsStdinStdoutAndStderrOnATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) gives the command a real terminal");
        Path project = Files.createDirectories(root.resolve("project"));
        Path sentinel = root.resolve("config/roar/.telemetry-disclosed");
        RoarProcess roar = roar().cwd(project);

        String redirected = inTerminal(roar, "init", "2>/dev/null");
        assertTrue(redirected.contains("Created "), redirected);
        assertFalse(redirected.contains(NOTICE_START), redirected);
        assertFalse(Files.exists(sentinel), "a notice nobody could see was not shown");

        String seen = inTerminal(roar.cwd(Files.createDirectories(root.resolve("project2"))), "init", "");
        int at = seen.indexOf(NOTICE_START);
        assertTrue(at >= 1 && seen.contains("roar telemetry --help"), seen);
        assertTrue(at == 1 ? seen.startsWith("\n") : seen.startsWith("\n\n", at - 2), "after a blank line: " + seen);
        assertTrue(Files.exists(sentinel));
        // the notice's own lines (init prints its own output before it)
        seen.substring(at).lines().limit(5).forEach(l -> assertTrue(l.length() <= 80, l));
    }

    /** The preview's throwaway identity and its times differ from run to run; the rest is the same. */
    static String throwaway(String out) {
        return out.replaceAll("\"(event_id|install_id)\":\"[^\"]+\"", "\"$1\":\"-\"")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z", "T");
    }

    /** Runs roar under script(1): stdin, stdout and stderr are a pseudo-terminal unless redirected. */
    static String inTerminal(RoarProcess roar, String args, String redirection) throws Exception {
        String command = String.join(" ", roar.command(args.split(" "))) + " " + redirection;
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .directory(roar.workDir().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(roar.environment());
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8).replace("\r", "");
    }
}
