package ai.treqs.roar.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import ai.treqs.roar.host.JobRunner;
import ai.treqs.roar.host.RunResult;
import ai.treqs.roar.telemetry.Telemetry;
import ai.treqs.roar.telemetry.io.TerminalText;
import ai.treqs.roar.telemetry.policy.CommandOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code roar run -- CMD [ARGS...]}: run a command, exit with its code. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a command in the working directory and exit with its exit code.")
public class RunCommand implements Callable<Integer> {

    /** What {@code --tracer <TAB>} offers: the modes this build runs with. */
    public static final class TracerCompletion extends ArrayList<String> {
        public TracerCompletion() {
            super(List.of("auto", "disabled"));
        }
    }

    @Option(names = "--tracer", paramLabel = "MODE", defaultValue = "auto", completionCandidates = TracerCompletion.class,
            description = "Tracer mode: auto (default) or disabled in this build; preload, ptrace, ebpf, native are refused.")
    String tracer;

    @Option(names = "--allow-dirty", description = "Run even when the git working tree has uncommitted changes.")
    boolean allowDirty;

    @Parameters(paramLabel = "CMD", arity = "1..*", description = "The command and its arguments (after --).")
    List<String> command;

    @Spec CommandSpec spec;
    @Inject JobRunner runner;
    @Inject Telemetry telemetry;

    @Override
    public Integer call() {
        RunResult result = runner.run(command, tracer, allowDirty, warning -> {
            spec.commandLine().getErr().println(TerminalText.inert(warning));
            spec.commandLine().getErr().flush(); // before the command writes to the same stderr
        });
        if (result.message() != null) {
            spec.commandLine().getErr().println(TerminalText.inert(result.message()));
        }
        telemetry.record(CommandOutcome.run(result.outcome(), result.tracer()));
        return result.exitCode();
    }
}
