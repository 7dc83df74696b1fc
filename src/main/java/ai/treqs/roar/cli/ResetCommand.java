package ai.treqs.roar.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.host.ProjectLocation;
import ai.treqs.roar.host.ProjectReset;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.env.Terminal;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roar reset}: clear a project's local roar state (keeps config.toml). */
@Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Clear the project's local roar state under .roar/ (config.toml is kept).")
public class ResetCommand implements Callable<Integer> {

    @Mixin ProjectDirOption projectDir;

    @Option(names = "--yes", description = "Do not ask; required without a terminal.")
    boolean yes;

    @Spec CommandSpec spec;
    @Inject ProjectReset projectReset;
    @Inject Telemetry telemetry;
    @Inject Terminal terminal;
    @Inject WorkingDirectory cwd;

    @Override
    public Integer call() throws IOException {
        ProjectLocation where = projectDir.resolve(cwd);
        Path dir = where.shown();
        // one handle on .roar/ from the count, through the question, to the deletion: what is cleared is what was shown
        ProjectReset.Opened roar;
        try {
            roar = projectReset.open(where);
        } catch (IOException | RuntimeException e) {
            return failed(dir, e);
        }
        try (roar) {
            return clear(roar, dir);
        }
    }

    private int clear(ProjectReset.Opened roar, Path dir) throws IOException {
        int pending;
        try {
            pending = roar.entriesToClear();
        } catch (IOException | RuntimeException e) {
            return failed(dir, e);
        }
        if (pending < 0) {
            return noProject(dir);
        }
        if (pending == 0) {
            spec.commandLine().getOut().println(TerminalText.inert("Nothing to clear in " + dir.resolve(".roar") + " (config.toml is kept)"));
            spec.commandLine().getOut().flush();
            telemetry.record(CommandOutcome.succeeded("reset"));
            return ExitCode.SUCCESS.code();
        }
        if (!yes) {
            if (!terminal.isInteractive()) {
                spec.commandLine().getErr().println("roar: reset needs --yes when not run on a terminal");
                spec.commandLine().getErr().println("Try 'roar reset --help' for more information.");
                return ExitCode.USAGE.code();
            }
            spec.commandLine().getOut().print("Clear the local roar state in " + TerminalText.inert(dir.resolve(".roar").toString()) + "? [y/N] ");
            spec.commandLine().getOut().flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                spec.commandLine().getOut().println("Nothing changed.");
                return ExitCode.FAILURE.code();
            }
        }
        int removed;
        try {
            removed = roar.clear();
        } catch (IOException | RuntimeException e) {
            return failed(dir, e);
        }
        spec.commandLine().getOut().println("Cleared " + removed + " item(s) from " + TerminalText.inert(dir.resolve(".roar").toString()));
        spec.commandLine().getOut().flush();
        telemetry.record(CommandOutcome.succeeded("reset"));
        return ExitCode.SUCCESS.code();
    }

    private int noProject(Path dir) {
        spec.commandLine().getErr().println(TerminalText.inert("roar: " + dir + " has no .roar/ directory (run roar init first)"));
        telemetry.record(CommandOutcome.failed("reset"));
        return ExitCode.FAILURE.code();
    }

    private int failed(Path dir, Exception e) {
        if (e instanceof ProjectReset.Refused refused) {
            spec.commandLine().getErr().println(TerminalText.inert("roar: reset refused: " + refused.getMessage()));
            telemetry.record(CommandOutcome.failed("reset"));
            return ExitCode.FAILURE.code();
        }
        String why = e instanceof IOException io ? IoMessages.describe(io) : String.valueOf(e.getMessage());
        spec.commandLine().getErr().println(TerminalText.inert("roar: reset failed in " + dir + ": " + why));
        telemetry.record(CommandOutcome.failed("reset"));
        return ExitCode.FAILURE.code();
    }
}
