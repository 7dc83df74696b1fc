package ai.treqs.roar.cli;

import java.util.concurrent.Callable;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import ai.treqs.roar.ExitCode;

/** {@code roar}: the lineage tool's CLI. The subcommands do the work; {@code roar} alone lists them. */
@TopCommand
@Command(name = "roar", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Track the lineage of ML work.",
        subcommands = {InitCommand.class, ResetCommand.class, RunCommand.class, TelemetryCommand.class,
            HelpCommand.class, UploadCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  roar init                            set up .roar/ in this project",
            "  roar run -- python train.py --lr 3   run a job; this build records telemetry",
            "                                       counters about it and traces nothing",
            "  roar telemetry                       what telemetry is set to here",
            "",
            "See 'roar help COMMAND' (or 'roar COMMAND --help') for a command's options."})
public class RoarCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** No command given: the usage on stderr, as a usage error (a script that forgot its command fails). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return ExitCode.USAGE.code();
    }
}
