package ai.treqs.roar.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import ai.treqs.roar.telemetry.io.IoMessages;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import picocli.CommandLine;

/**
 * Where output and exit codes of failures are decided: a usage error is one line and exit 2, an
 * unexpected failure one line and exit 1. No stack trace reaches the user.
 */
@ApplicationScoped
public class CommandLineSetup {
    private static final Logger LOG = Logger.getLogger(CommandLineSetup.class);

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        CommandLine cli = factory.create();
        // everything after the command name belongs to the wrapped command: roar run python train.py --lr 3
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("roar: " + firstLine(ex.getMessage()));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            LOG.debug("command failed", ex);
            String message = ex instanceof IOException io ? IoMessages.describe(io)
                    : ex instanceof UncheckedIOException io ? IoMessages.describe(io)
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cmd.getErr().println("roar: " + firstLine(message));
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
