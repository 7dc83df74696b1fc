package ai.treqs.roar.telemetry.policy;

import java.util.Optional;

/**
 * A finished command, as telemetry records it: its name, whether it succeeded and, for {@code roar run},
 * the outcome and the tracer mode used. Names outside the allowlist are never counted.
 */
public record CommandOutcome(String command, boolean succeeded, Optional<RunOutcome> run, Optional<String> tracer) {

    public static CommandOutcome succeeded(String command) {
        return new CommandOutcome(command, true, Optional.empty(), Optional.empty());
    }

    public static CommandOutcome failed(String command) {
        return new CommandOutcome(command, false, Optional.empty(), Optional.empty());
    }

    public static CommandOutcome run(RunOutcome outcome, String tracer) {
        return new CommandOutcome("run", outcome == RunOutcome.SUCCESS, Optional.of(outcome), Optional.of(tracer));
    }
}
