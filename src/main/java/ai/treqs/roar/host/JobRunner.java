package ai.treqs.roar.host;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.ExitCode;
import ai.treqs.roar.telemetry.WorkerEnvironment;
import ai.treqs.roar.telemetry.env.CommandLineText;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.policy.RunOutcome;

/** {@code roar run}: refuses a dirty tree or an unavailable tracer, else runs the command and reports how it ended. */
@ApplicationScoped
public class JobRunner {
    public static final String INSTRUMENTED = "ROAR_JOB_INSTRUMENTED";

    @Inject ChildProcesses processes;
    @Inject Environment env;
    @Inject WorkingDirectory cwd;
    @Inject WorkerEnvironment workerEnvironment;

    /** {@code warnings}: a line to show before the command starts (the dirty check could not be made). */
    public RunResult run(List<String> command, String tracer, boolean allowDirty, Consumer<String> warnings) {
        Optional<String> mode = TracerModes.resolve(tracer);
        if (mode.isEmpty()) {
            return new RunResult(ExitCode.RUN_REFUSED.code(), RunOutcome.TRACER_SETUP, TracerModes.counted(tracer),
                    "roar: tracer mode '" + tracer + "' is not available in this build (available: auto, disabled)");
        }
        GitTree.DirtyCheck dirty = allowDirty ? new GitTree.DirtyCheck.Clean() : GitTree.check(processes, cwd.path());
        if (dirty instanceof GitTree.DirtyCheck.CannotTell cannot) {
            warnings.accept("roar: warning: uncommitted changes not checked: " + cannot.why());
        }
        if (dirty instanceof GitTree.DirtyCheck.Dirty) {
            return new RunResult(ExitCode.RUN_REFUSED.code(), RunOutcome.DIRTY, mode.get(),
                    "roar: the git working tree has uncommitted changes; commit them or pass --allow-dirty");
        }
        Map<String, String> childEnv = new HashMap<>(workerEnvironment.forWorker(UserLocale.restore(env.all())));
        childEnv.remove(InheritedDescriptors.SAVED); // the launcher's record, not the user's
        childEnv.put(INSTRUMENTED, "1");
        // a name Java holds as other text (a Latin-1 byte became U+FFFD) names another file: the child is started from
        // the user's bytes (host/ExactChild) and env(1) answers 127 or 126 itself (docs/host-commands.md#the-child)
        boolean nameIsText = CommandLineText.asTyped(command.get(0)).filter(command.get(0)::equals).isPresent();
        Optional<Executables.Problem> problem = !nameIsText ? Optional.empty()
                : Executables.problem(command.get(0), Optional.ofNullable(childEnv.get("PATH")), cwd.path());
        // a PATH entry Java holds as other text cannot be looked into: the command is started, the system searches
        boolean searchedBlind = problem.isPresent() && command.get(0).indexOf('/') < 0 && !env.isExactText("PATH");
        if (problem.isPresent() && !searchedBlind) {
            return cannotRun(command, mode.get(), problem.get());
        }
        ChildProcesses.Child child;
        try {
            child = processes.start(command, cwd.path(), childEnv);
        } catch (IOException e) {
            // the file looked runnable a moment ago: it changed since, or the kernel refused it (e.g. a bad ELF)
            return cannotRun(command, mode.get(), searchedBlind ? problem.get()
                    : new Executables.Problem(ExitCode.RUN_NOT_EXECUTABLE.code(), "the system could not start it"));
        }
        try (SignalTrap trap = new SignalTrap(child::terminate, child::hangUp)) {
            int exit = waitUninterruptibly(child);
            RunOutcome outcome = exit == 0 && !trap.received() ? RunOutcome.SUCCESS
                    : trap.received() || exit == 130 || exit == 143 ? RunOutcome.INTERRUPTED
                    : RunOutcome.USER_EXIT;
            return new RunResult(exit, outcome, mode.get(), null);
        }
    }

    private static RunResult cannotRun(List<String> command, String mode, Executables.Problem problem) {
        return new RunResult(problem.exitCode(), RunOutcome.INTERNAL, mode,
                "roar: cannot run '" + command.get(0) + "': " + problem.why());
    }

    private static int waitUninterruptibly(ChildProcesses.Child child) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
