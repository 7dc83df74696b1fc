package ai.treqs.roar.telemetry.env;

/**
 * Extension point: every CDI bean implementing this interface is asked whether the process runs as
 * a worker of a job backend (a scheduler, a cluster task, ...). If any says yes, telemetry is
 * suppressed with the reason {@code backend_job_environment:registered}.
 *
 * <p>Implementations must be cheap (no process spawned, no network) and must not throw; a detector
 * that throws is treated as saying "no".
 */
public interface BackendJobDetector {

    boolean isBackendJob(Environment environment);
}
