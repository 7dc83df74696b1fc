package ai.treqs.roar.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** {@code roar}: the lineage tool's CLI. The subcommands do the work. */
@TopCommand
@Command(name = "roar", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Track the lineage of ML work.",
        subcommands = {InitCommand.class, ResetCommand.class, RunCommand.class, TelemetryCommand.class,
            UploadCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure", "2:usage error",
            "3:roar run refused: dirty git tree", "4:roar run refused: tracer mode not available"})
public class RoarCommand {
}
