package ai.treqs.roar.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.host.ProjectInit;
import ai.treqs.roar.host.ProjectLocation;
import ai.treqs.roar.telemetry.Recording;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roar init}: set up a project directory. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Create .roar/ in a project directory.")
public class InitCommand implements Callable<Integer> {

    @Mixin ProjectDirOption projectDir;

    @Option(names = "--no-gitignore", description = "Do not add .roar/ to .gitignore.")
    boolean noGitignore;

    @Spec CommandSpec spec;
    @Inject ProjectInit projectInit;
    @Inject Telemetry telemetry;
    @Inject WorkingDirectory cwd;

    @Override
    public Integer call() {
        ProjectLocation where = projectDir.resolve(cwd);
        Path dir = where.shown();
        try {
            spec.commandLine().getOut().print(TerminalText.inertLines(projectInit.init(where, !noGitignore)));
            spec.commandLine().getOut().flush();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println(TerminalText.inert("roar: init failed in " + dir + ": " + reason(e)));
            telemetry.record(CommandOutcome.failed("init"));
            return ExitCode.FAILURE.code();
        }
        // the one-time notice, when this run shows it, already says all this (on stderr): said once
        if (!(telemetry.record(CommandOutcome.succeeded("init")) instanceof Recording.Recorded recorded && recorded.noticeShown())) {
            spec.commandLine().getOut().print(ProjectInit.PRIVACY_NOTE);
            spec.commandLine().getOut().flush();
        }
        return ExitCode.SUCCESS.code();
    }

    /** What failed and why, in words: never a bare path (an {@link IOException}'s message often is one). */
    private static String reason(Exception e) {
        if (e instanceof ProjectInit.Refused refused) {
            return refused.getMessage();
        }
        if (e instanceof IOException io) {
            return IoMessages.describe(io);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
