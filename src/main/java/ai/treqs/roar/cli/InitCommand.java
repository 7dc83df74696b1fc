package ai.treqs.roar.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.host.ProjectInit;
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
@Command(name = "init", mixinStandardHelpOptions = true, description = "Create .roar/ in a project directory.")
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
        Path dir = projectDir.resolve(cwd);
        try {
            spec.commandLine().getOut().print(TerminalText.inertLines(projectInit.init(dir, !noGitignore)));
            spec.commandLine().getOut().flush();
        } catch (IOException | RuntimeException e) {
            // a refusal is its own sentence; any other failure says what failed and why, never a bare path
            String why = e instanceof ProjectInit.Refused || !(e instanceof IOException io) ? e.getMessage() : IoMessages.describe(io);
            spec.commandLine().getErr().println(TerminalText.inert("roar: init failed in " + dir + ": " + why));
            telemetry.record(CommandOutcome.failed("init"));
            return ExitCode.FAILURE.code();
        }
        telemetry.record(CommandOutcome.succeeded("init"));
        return ExitCode.SUCCESS.code();
    }
}
