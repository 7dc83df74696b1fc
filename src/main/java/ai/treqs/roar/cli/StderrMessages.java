package ai.treqs.roar.cli;

import java.io.PrintWriter;

import jakarta.enterprise.context.ApplicationScoped;

import ai.treqs.roar.telemetry.env.UserMessages;
import ai.treqs.roar.telemetry.io.TerminalText;
import picocli.CommandLine;

/** Prints what the telemetry core hands over on the error stream of the command line being run. */
@ApplicationScoped
public class StderrMessages implements UserMessages {
    private volatile CommandLine commandLine;

    /** The command line {@link CommandLineSetup} built; before that (or without picocli) stderr itself. */
    void attach(CommandLine cli) {
        this.commandLine = cli;
    }

    @Override
    public void warning(String text) {
        println("roar: warning: " + TerminalText.inert(text));
    }

    @Override
    public void notice(String text) {
        println(TerminalText.inertLines(text));
    }

    private void println(String line) {
        CommandLine cli = commandLine;
        PrintWriter err = cli != null ? cli.getErr() : new PrintWriter(System.err);
        err.println(line);
        err.flush();
    }
}
