package ai.treqs.roar.telemetry.policy;

import java.util.Locale;

/** How a {@code roar run} ended (docs/host-commands.md#outcomes-and-exit-codes); the counter is {@code run_<name>} / {@code run_failed_<name>}. */
public enum RunOutcome {
    SUCCESS, DIRTY, TRACER_SETUP, USER_EXIT, INTERRUPTED, INTERNAL;

    public String counterName() {
        return this == SUCCESS ? "run_success" : "run_failed_" + name().toLowerCase(Locale.ROOT);
    }
}
