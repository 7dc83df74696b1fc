package ai.treqs.roar.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.io.IoMessages;
import ai.treqs.roar.telemetry.io.TerminalText;

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
    CommandLine commandLine(PicocliCommandLineFactory factory, StderrMessages messages) {
        CommandLine cli = describe(factory.create());
        messages.attach(cli);
        StandardOutput stdout = StandardOutput.open();
        cli.setOut(StandardOutput.writer(stdout)); // the same writer for every subcommand
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parseResult -> {
            StandardOutput.Verdict verdict = stdout.verdict(runLast.execute(parseResult), cli.getOut());
            verdict.line().ifPresent(line -> {
                cli.getErr().println(line);
                cli.getErr().flush();
            });
            return verdict.exitCode();
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("roar: " + TerminalText.inert(lowerFirst(usageMessage(ex))));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            LOG.debug("command failed", ex);
            String message = firstLine(ex instanceof IOException io ? IoMessages.describe(io)
                    : ex instanceof UncheckedIOException io ? IoMessages.describe(io)
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
            cmd.getErr().println(TerminalText.inert(message.startsWith("roar: ") ? message : "roar: " + message));
            return ExitCode.FAILURE.code();
        });
        return cli;
    }

    /**
     * What the annotations cannot say, set on the command tree: here, and for the man pages and completion
     * the build generates from the same tree.
     */
    public static CommandLine describe(CommandLine cli) {
        // picocli's exitCodeList is an annotation constant; the list comes from the one enum instead
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        // an argument is never a file to read arguments from: '@types/node' in roar run's ARGS (or a FIFO named
        // '@x') is passed as written, for every command and the uploader alike (docs/security.md#a-cloned-repository-anyone-who-can-get-you-to-cd-into-a-directory)
        cli.setExpandAtFiles(false);
        // everything after the command name belongs to the wrapped command: roar run python train.py --lr 3
        cli.getSubcommands().get("run").setStopAtPositional(true);
        return cli;
    }

    /** picocli's message in one line, its "Error: " prefix dropped, with its suggestions for a typo. */
    static String usageMessage(CommandLine.ParameterException ex) {
        // picocli checks required parameters before it reports what it could not match: 'roar run --x' would say
        // CMD is missing, where the user typed an option that does not exist
        List<String> unmatchedSoFar = ex.getCommandLine().getUnmatchedArguments();
        if (!(ex instanceof CommandLine.UnmatchedArgumentException) && !unmatchedSoFar.isEmpty()) {
            ex = new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), unmatchedSoFar);
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            CommandLine cmd = ex.getCommandLine();
            String arg = unmatched.getUnmatched().get(0);
            boolean option = arg.startsWith("-");
            String what = option ? "unknown option '" + arg + "'"
                    : cmd.getSubcommands().isEmpty() ? "unexpected argument '" + arg + "'"
                    : "unknown command '" + arg + "'";
            List<String> suggestions = unmatched.getSuggestions().stream().filter(CommandLineSetup::visible).limit(option ? 3 : 1).toList();
            return what + "." + (suggestions.isEmpty() ? "" : " Did you mean: " + String.join(", ", suggestions) + "?");
        }
        String message = firstLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        return message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    }

    /** Internal commands ({@code __upload}) are never suggested; the telemetry verbs are. */
    private static boolean visible(String suggestion) {
        return !suggestion.startsWith("__");
    }

    /**
     * One style for every {@code roar:} line: lower case after the prefix, as roar's own messages are
     * ({@code Missing required parameter} becomes {@code missing required parameter}); a word in capitals stays.
     */
    static String lowerFirst(String message) {
        return message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))
                ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
