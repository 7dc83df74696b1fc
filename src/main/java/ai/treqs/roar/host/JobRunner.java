package ai.treqs.roar.host;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.WorkerEnvironment;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.policy.RunOutcome;

/** {@code roar run}: refuses a dirty tree or an unavailable tracer, else runs the command and reports how it ended. */
@ApplicationScoped
public class JobRunner {
    public static final String INSTRUMENTED = "ROAR_JOB_INSTRUMENTED";
    static final int DIRTY_EXIT = 3;
    static final int TRACER_EXIT = 4;

    @Inject ChildProcesses processes;
    @Inject Environment env;
    @Inject WorkingDirectory cwd;
    @Inject WorkerEnvironment workerEnvironment;

    public RunResult run(List<String> command, String tracer, boolean allowDirty) {
        Optional<String> mode = TracerModes.resolve(tracer);
        if (mode.isEmpty()) {
            return new RunResult(TRACER_EXIT, RunOutcome.TRACER_SETUP, TracerModes.counted(tracer),
                    "roar: tracer mode '" + tracer + "' is not available in this build (available: auto, disabled)");
        }
        if (!allowDirty && GitTree.isDirty(processes, cwd.path())) {
            return new RunResult(DIRTY_EXIT, RunOutcome.DIRTY, mode.get(),
                    "roar: the git working tree has uncommitted changes; commit them or pass --allow-dirty");
        }
        Map<String, String> childEnv = new HashMap<>(workerEnvironment.forWorker(env.all()));
        childEnv.put(INSTRUMENTED, "1");
        ChildProcesses.Child child;
        try {
            child = processes.start(command, cwd.path(), childEnv);
        } catch (IOException e) {
            boolean denied = String.valueOf(e.getMessage()).contains("error=13");
            return new RunResult(denied ? 126 : 127, RunOutcome.INTERNAL, mode.get(),
                    "roar: cannot run '" + command.get(0) + "': " + (denied ? "permission denied" : "command not found"));
        }
        try (SignalTrap trap = new SignalTrap(child::terminate)) {
            int exit = waitUninterruptibly(child);
            RunOutcome outcome = exit == 0 && !trap.received() ? RunOutcome.SUCCESS
                    : trap.received() || exit == 130 || exit == 143 ? RunOutcome.INTERRUPTED
                    : RunOutcome.USER_EXIT;
            return new RunResult(exit, outcome, mode.get(), null);
        }
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
