package ai.treqs.roar.host;

import ai.treqs.roar.telemetry.policy.RunOutcome;

/** How {@code roar run} ended: the exit code, the outcome telemetry counts, and the tracer mode used. */
public record RunResult(int exitCode, RunOutcome outcome, String tracer, String message) {}
